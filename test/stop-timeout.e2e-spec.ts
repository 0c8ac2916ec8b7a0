import { Injectable, type INestApplication } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { clientOptions, startClientApp } from './support/client-app.js';

const aborts: { taskId: string; reason: unknown; at: number }[] = [];
const starts: { taskId: string; at: number }[] = [];

@Injectable()
class SlowJobs {
  @SnailJob('waitForAbort')
  async wait(args: JobArgs) {
    starts.push({ taskId: String(args.taskId), at: Date.now() });
    await new Promise<void>((resolve) => {
      args.signal.addEventListener('abort', () => {
        aborts.push({ taskId: String(args.taskId), reason: args.signal.reason, at: Date.now() });
        resolve();
      });
    });
    return 'finished after abort';
  }

  @SnailJob('ignoresSignal')
  async ignore() {
    await new Promise((r) => setTimeout(r, 400));
    return 'late';
  }
}

function dispatch(taskId: number, batchId: number, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify([
    {
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      jobId: 1,
      taskBatchId: batchId,
      taskId,
      taskType: 1,
      groupName: 'snail_job_demo_group',
      parallelNum: 1,
      executorType: 1,
      executorInfo: 'waitForAbort',
      executorTimeout: 60,
      argsStr: '{}',
      taskName: 'CLUSTER_TASK',
      retryStatus: false,
      retry: false,
      ...overrides,
    },
  ]);
}

describe('stop and timeout', () => {
  let server: RawServer;
  let app: INestApplication;
  let caller: RawCaller;

  beforeEach(async () => {
    aborts.length = 0;
    starts.length = 0;
    server = await new RawServer().start();
    app = await startClientApp(clientOptions(server.port), [SlowJobs]);
    caller = new RawCaller(app.get(SnailJobTransport).port);
  });

  afterEach(async () => {
    caller.close();
    await app.close();
    await server.close();
  });

  async function waitUntil(check: () => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('aborts the signal with reason "stop" within 1 s and sends no report', async () => {
    await caller.call('/job/dispatch/v1', dispatch(10, 100));
    await waitUntil(() => starts.length === 1);
    const sent = Date.now();
    const reply = await caller.call(
      '/job/stop/v1',
      '[{"jobId":1,"taskBatchId":100,"groupName":"snail_job_demo_group"}]',
    );
    expect(reply).toMatchObject({ status: 1, data: 'true' });
    await waitUntil(() => aborts.length === 1, 1_000);
    expect(aborts[0]).toMatchObject({ taskId: '10', reason: 'stop' });
    expect(aborts[0].at - sent).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.calls('/report/dispatch/result')).toHaveLength(0);
    // duplicate stops (one per task row) and stops after completion are answered true as well
    expect(
      await caller.call('/job/stop/v1', '[{"jobId":1,"taskBatchId":100,"groupName":"g"}]'),
    ).toMatchObject({
      status: 1,
      data: 'true',
    });
  });

  it('aborts with reason "timeout" after executorTimeout and sends no report', async () => {
    await caller.call('/job/dispatch/v1', dispatch(11, 101, { executorTimeout: 1 }));
    await waitUntil(() => aborts.length === 1, 2_500);
    expect(aborts[0]).toMatchObject({ taskId: '11', reason: 'timeout' });
    const elapsed = aborts[0].at - starts[0].at;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1_500);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.calls('/report/dispatch/result')).toHaveLength(0);
  });

  it('runs tasks of one batch at most parallelNum at a time; queued tasks are stopped too', async () => {
    for (let i = 0; i < 3; i++) {
      await caller.call(
        '/job/dispatch/v1',
        dispatch(20 + i, 102, {
          taskType: 3,
          parallelNum: 2,
          taskName: 'SHARDING_TASK',
          shardingIndex: i,
          shardingTotal: 3,
        }),
      );
    }
    await waitUntil(() => starts.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(starts).toHaveLength(2);
    await caller.call('/job/stop/v1', '[{"jobId":1,"taskBatchId":102,"groupName":"g"}]');
    await waitUntil(() => aborts.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(starts).toHaveLength(2);
    expect(server.calls('/report/dispatch/result')).toHaveLength(0);
  });

  it('discards the result of a handler that ignores the signal and frees its slot at once', async () => {
    await caller.call(
      '/job/dispatch/v1',
      dispatch(30, 103, { executorInfo: 'ignoresSignal', parallelNum: 1 }),
    );
    await new Promise((r) => setTimeout(r, 50));
    await caller.call('/job/stop/v1', '[{"jobId":1,"taskBatchId":103,"groupName":"g"}]');
    await caller.call('/job/dispatch/v1', dispatch(31, 104, { executorInfo: 'ignoresSignal' }));
    const [report] = await server.waitFor('/report/dispatch/result', 1, 3_000);
    expect(JSON.parse(report.body)[0]).toMatchObject({ taskId: 31, taskStatus: 3 });
    await new Promise((r) => setTimeout(r, 500));
    expect(server.calls('/report/dispatch/result')).toHaveLength(1);
  });
});
