import { Injectable, type INestApplication } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs, type SnailJobModuleOptions } from 'nestjs-snail-job';
import { TaskRunner } from '../libs/snail-job/src/execution/task-runner.js';
import { clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody } from './support/dispatch.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { sleep, waitUntil } from './support/wait.js';

/** Tasks block until the test releases them; the peak of concurrently running handlers is recorded. */
const gate = {
  running: new Map<string, () => void>(),
  started: [] as string[],
  peak: { all: 0, slow: 0 },
  /** Once open, new tasks finish at once (for tear-down). */
  open: false,
  reset() {
    this.open = false;
    this.running.clear();
    this.started = [];
    this.peak = { all: 0, slow: 0 };
  },
  releaseAll() {
    for (const release of [...this.running.values()]) release();
  },
};

@Injectable()
class GatedJobs {
  @SnailJob('slowJob')
  slow(args: JobArgs) {
    return this.hold(`slow-${String(args.taskId)}`, args);
  }

  @SnailJob('fastJob')
  fast(args: JobArgs) {
    return this.hold(`fast-${String(args.taskId)}`, args);
  }

  private hold(id: string, args: JobArgs): Promise<string> {
    gate.started.push(id);
    if (gate.open) return Promise.resolve(id);
    return new Promise((resolve) => {
      gate.running.set(id, () => {
        gate.running.delete(id);
        resolve(id);
      });
      args.signal.addEventListener('abort', () => gate.running.get(id)?.());
      const slow = [...gate.running.keys()].filter((k) => k.startsWith('slow')).length;
      gate.peak.all = Math.max(gate.peak.all, gate.running.size);
      gate.peak.slow = Math.max(gate.peak.slow, slow);
    });
  }
}

describe('concurrency caps and the bounded queue', () => {
  let server: RawServer;
  let app: INestApplication;
  let caller: RawCaller;

  async function start(extra: SnailJobModuleOptions): Promise<void> {
    gate.reset();
    server = await new RawServer().start();
    app = await startClientApp(clientOptions(server.port, extra), [GatedJobs]);
    caller = new RawCaller(app.get(SnailJobTransport).port);
  }

  afterEach(async () => {
    gate.open = true;
    gate.releaseAll();
    caller.close();
    await app.close();
    await server.close();
  });

  const dispatch = (executor: string, taskId: number, extra: Record<string, unknown> = {}) =>
    caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: executor, taskId, taskBatchId: taskId, ...extra }),
    );

  it('runs at most maxConcurrentTasks, queues up to maxQueuedTasks, and refuses beyond with a clear message', async () => {
    await start({ maxConcurrentTasks: 2, maxQueuedTasks: 3 });
    for (let i = 1; i <= 5; i++)
      expect(await dispatch('fastJob', i)).toMatchObject({ status: 1, data: 'true' });
    const refused = await dispatch('fastJob', 6);
    expect(refused).toMatchObject({ status: 1, data: 'false' });
    expect(refused.message).toContain('Client is at capacity: 3 task(s) already wait (maxQueuedTasks=3');
    expect(refused.message).toContain('for 2 running (maxConcurrentTasks=2)');
    await waitUntil(() => gate.started.length === 2);
    await sleep(50);
    expect(gate.started).toEqual(['fast-1', 'fast-2']);
    expect(app.get(TaskRunner).stats()).toMatchObject({ running: 2, queued: 3 });

    gate.running.get('fast-1')!();
    await waitUntil(() => gate.started.length === 3);
    expect(gate.started[2]).toBe('fast-3');
    expect(await dispatch('fastJob', 7)).toMatchObject({ status: 1, data: 'true' });

    while (server.calls('/report/dispatch/result').length < 6) {
      gate.releaseAll();
      await sleep(10);
    }
    expect(gate.peak.all).toBe(2);
    expect(server.reports().map((r) => r.taskId)).toEqual([1, 2, 3, 4, 5, 7]);
  });

  it('caps one executor without holding back the others', async () => {
    await start({ maxConcurrentTasks: 10, maxConcurrentPerExecutor: { slowJob: 1 } });
    for (let i = 1; i <= 3; i++) await dispatch('slowJob', i);
    for (let i = 11; i <= 12; i++) await dispatch('fastJob', i);
    await waitUntil(() => gate.started.length === 3);
    await sleep(50);
    expect(gate.started.sort()).toEqual(['fast-11', 'fast-12', 'slow-1']);
    gate.running.get('slow-1')!();
    await waitUntil(() => gate.started.includes('slow-2'));
    expect(gate.peak.slow).toBe(1);
    expect(app.get(TaskRunner).stats()).toMatchObject({ running: 3, queued: 1 });
  });

  it('with maxQueuedTasks 0, refuses whatever cannot start at once, including tasks waiting for parallelNum', async () => {
    await start({ maxConcurrentTasks: 1, maxQueuedTasks: 0 });
    expect(await dispatch('fastJob', 1)).toMatchObject({ data: 'true' });
    expect(await dispatch('fastJob', 2)).toMatchObject({ data: 'false' });
  });

  it('a stopped task that waits for a slot never starts and is not reported', async () => {
    await start({ maxConcurrentTasks: 1 });
    await dispatch('fastJob', 1);
    await dispatch('fastJob', 2);
    await waitUntil(() => gate.started.length === 1);
    expect(await caller.call('/job/stop/v1', '[{"jobId":7,"taskBatchId":2,"groupName":"g"}]')).toMatchObject({
      data: 'true',
    });
    expect(app.get(TaskRunner).stats()).toMatchObject({ running: 1, queued: 0 });
    gate.running.get('fast-1')!();
    await server.waitFor('/report/dispatch/result');
    await sleep(100);
    expect(gate.started).toEqual(['fast-1']);
    expect(server.reports().map((r) => r.taskId)).toEqual([1]);
  });

  it('an aborted handler that ignores its signal keeps its slot until it returns', async () => {
    await start({ maxConcurrentTasks: 1 });
    await dispatch('fastJob', 1);
    await waitUntil(() => gate.started.length === 1);
    // Make the handler ignore the abort: detach its release from the signal.
    const release = gate.running.get('fast-1')!;
    gate.running.delete('fast-1');
    await caller.call('/job/stop/v1', '[{"jobId":7,"taskBatchId":1,"groupName":"g"}]');
    await dispatch('fastJob', 2);
    await sleep(50);
    expect(gate.started).toEqual(['fast-1']);
    expect(app.get(TaskRunner).stats()).toMatchObject({ running: 0, queued: 1, abandoned: 1 });
    release();
    await waitUntil(() => gate.started.includes('fast-2'));
  });
});
