import { Injectable } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { ResultReporter } from '../libs/snail-job/src/reporting/result-reporter.js';
import { clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody } from './support/dispatch.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { sleep, waitUntil } from './support/wait.js';

@Injectable()
class WorkJobs {
  /** 0-40 ms of simulated I/O, deterministic per task. */
  @SnailJob('work')
  async work(args: JobArgs) {
    await sleep(Number(args.taskId) % 41);
    return `result of ${String(args.taskId)}`;
  }
}

/** A sharding batch of `total` tasks (ids 1..total), `parallelNum` at a time on this node. */
function shard(taskId: number, total: number): string {
  return dispatchBody({
    executorInfo: 'work',
    taskType: 3,
    taskName: 'SHARDING_TASK',
    taskBatchId: 77,
    taskId,
    parallelNum: 50,
    shardingIndex: taskId - 1,
    shardingTotal: total,
    executorTimeout: 120,
    argsStr: JSON.stringify({ jobParams: `shard ${taskId}` }),
  });
}

async function dispatchAll(caller: RawCaller, total: number): Promise<void> {
  for (let start = 1; start <= total; start += 50) {
    const replies = await Promise.all(
      Array.from({ length: Math.min(50, total - start + 1) }, (_, i) =>
        caller.call('/job/dispatch/v1', shard(start + i, total)),
      ),
    );
    for (const r of replies) expect(r).toMatchObject({ status: 1, data: 'true' });
  }
}

describe('faults', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('server killed during a batch of 1,000 tasks and restarted 10 s later: every result arrives, none twice', async () => {
    const first = await new RawServer().start();
    const port = first.port;
    const app = await startClientApp(clientOptions(port), [WorkJobs]);
    cleanup.push(() => app.close());
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    cleanup.push(() => caller.close());
    await first.waitFor('/beat');

    const dispatching = dispatchAll(caller, 1_000);
    await waitUntil(() => first.calls('/report/dispatch/result').length >= 100, 10_000, '100 reports');
    first.kill();
    const killedAt = Date.now();
    const beforeKill = first.reports().length;
    await dispatching;

    await sleep(10_000 - (Date.now() - killedAt));
    const second = await new RawServer().start(port);
    cleanup.push(() => second.close());
    const restartedAt = Date.now();
    const all = () => [...first.reports(), ...second.reports()];
    await waitUntil(() => new Set(all().map((r) => r.taskId)).size === 1_000, 15_000, 'all 1,000 results');
    const deliveredIn = Date.now() - restartedAt;
    await sleep(500);

    const ids = all().map((r) => r.taskId as number);
    expect(new Set(ids).size).toBe(1_000);
    expect(ids).toHaveLength(1_000); // none twice
    for (const r of all()) expect(r.executeResult).toMatchObject({ result: `result of ${String(r.taskId)}` });
    expect(app.get(ResultReporter).stats()).toMatchObject({ delivered: 1_000, dropped: 0, pending: 0 });
    console.info(
      `[fault] ${beforeKill} reports before the kill, the remaining ${1_000 - beforeKill} delivered ${deliveredIn} ms after the restart`,
    );
  }, 40_000);

  it('a server that answers status 0 to the first reports gets each of them later, once', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    const confirmed = new Map<unknown, number>();
    let refusals = 0;
    server.respond = (r) => {
      if (r.uri !== '/report/dispatch/result') return undefined;
      if (refusals < 5) {
        refusals++;
        return { status: 0, message: 'Report Dispatch Result failed: busy', data: 'null' };
      }
      const taskId = (JSON.parse(r.body) as { taskId: unknown }[])[0].taskId;
      confirmed.set(taskId, (confirmed.get(taskId) ?? 0) + 1);
      return undefined;
    };
    const app = await startClientApp(clientOptions(server.port), [WorkJobs]);
    cleanup.push(() => app.close());
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    cleanup.push(() => caller.close());
    await dispatchAll(caller, 20);
    await waitUntil(() => confirmed.size === 20, 10_000, '20 confirmed reports');
    await sleep(500);
    expect([...confirmed.values()].every((n) => n === 1)).toBe(true);
    expect(server.calls('/report/dispatch/result')).toHaveLength(25);
    expect(app.get(ResultReporter).stats()).toMatchObject({ delivered: 20, dropped: 0, pending: 0 });
  });

  it('reports rejected for a wrong token are kept (not given up) and delivered once the token is accepted', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    let tokenFixed = false;
    server.respond = (r) =>
      r.uri === '/report/dispatch/result' && !tokenFixed
        ? {
            status: 0,
            message: 'Token authentication failed. [namespace:ns groupName:g token:t]',
            data: 'null',
          }
        : undefined;
    const app = await startClientApp(clientOptions(server.port), [WorkJobs]);
    cleanup.push(() => app.close());
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    cleanup.push(() => caller.close());
    await dispatchAll(caller, 3);
    await sleep(1_000); // handled like an outage: paused with backoff, never counted as refusals
    expect(app.get(ResultReporter).stats()).toMatchObject({ delivered: 0, dropped: 0, pending: 3 });
    tokenFixed = true;
    await waitUntil(() => app.get(ResultReporter).stats().delivered === 3, 8_000, 'three delivered');
    expect(app.get(ResultReporter).stats()).toMatchObject({ dropped: 0, pending: 0 });
  });

  it('a report whose reply times out is sent again (at-least-once): the server may see it twice', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    let first = true;
    server.respond = async (r) => {
      if (r.uri === '/report/dispatch/result' && first) {
        first = false;
        await sleep(600); // longer than requestTimeoutMs: the client cannot know it arrived
      }
      return undefined;
    };
    const app = await startClientApp(clientOptions(server.port, { requestTimeoutMs: 200 }), [WorkJobs]);
    cleanup.push(() => app.close());
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    cleanup.push(() => caller.close());
    await caller.call('/job/dispatch/v1', shard(1, 1));
    await server.waitFor('/report/dispatch/result', 2, 5_000);
    await waitUntil(() => app.get(ResultReporter).stats().pending === 0);
    expect(app.get(ResultReporter).stats()).toMatchObject({ delivered: 1, resentAfterNoReply: 1 });
    expect(server.reports().map((r) => r.taskId)).toEqual([1, 1]);
  });
});
