import { Injectable, type INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MapTask, SnailJob, type MapArgs } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { receivedBodies, startTestDevServer, type DevServer } from './support/dev-server.js';

const ITEMS = Number(process.env.FANOUT_ITEMS ?? 100_000);
let childRuns = 0;
let checksum = 0;
let doMapMs = 0;

@SnailJob('fanout')
@Injectable()
class FanOut {
  @MapTask()
  async root(args: MapArgs) {
    const t0 = performance.now();
    const result = await args.doMap(
      Array.from({ length: ITEMS }, (_, i) => i),
      'ITEM',
    );
    doMapMs = performance.now() - t0;
    return result;
  }

  @MapTask('ITEM')
  item(args: MapArgs) {
    childRuns++;
    checksum += args.mapResult as number;
  }
}

describe('a 100,000-item doMap', () => {
  let server: DevServer;
  let app: INestApplication;

  beforeAll(async () => {
    server = await startTestDevServer({ journalSize: 1_000 });
    app = await startClientApp(clientOptions(server.grpcPort), [FanOut]);
    await server.waitForNodes(1, 5_000);
  });

  afterAll(async () => {
    await app.close();
    await server.close();
  }, 60_000);

  it('creates every child in bounded requests and every child runs once', async () => {
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const { taskBatchId } = await server.createAndTrigger({
      executorInfo: 'fanout',
      taskType: 4,
      parallelNum: 64,
      executorTimeout: 600,
    });
    const batch = await server.waitForBatch(taskBatchId, 170_000);
    const totalMs = performance.now() - t0;
    clearInterval(sampler);
    const failed = batch.tasks.filter((t) => t.statusName !== 'SUCCESS');
    expect(failed.slice(0, 3).map((t) => `${t.statusName}: ${t.message}`)).toEqual([]);
    expect(batch.statusName).toBe('SUCCESS');
    expect(childRuns).toBe(ITEMS);
    expect(checksum).toBe((ITEMS * (ITEMS - 1)) / 2);
    expect(batch.tasks).toHaveLength(ITEMS + 1);
    const requests = await receivedBodies<{ subTask: unknown[] }>(server, '/batch/report/job/map/task/v1');
    expect(requests.every((r) => r.subTask.length <= 500)).toBe(true);
    console.log(
      `doMap of ${ITEMS} items: requests accepted in ${Math.round(doMapMs)} ms; whole batch (dispatch + run + report of every child, dev server in the same process) ${Math.round(totalMs)} ms; peak RSS +${Math.round((peak - rss0) / 1048576)} MiB`,
    );
  }, 180_000);
});
