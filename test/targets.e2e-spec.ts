/**
 * One end-to-end suite, two targets: every scenario runs against the dev server and — under
 * `npm run test:server` (SNAIL_E2E_TARGETS=dev,real) — against the real SnailJob 2.0.2 server started by
 * test/real-server/. Every outcome is read from the target's own API. See docs/real-server.md.
 */
import type { INestApplication } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnailJobTransport } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { SquaresMapReduce, TwoLevelMap, plainExecutors, resetSeen, seen } from './targets/executors.js';
import {
  obtainRealLaunch,
  printTimings,
  requestedTargets,
  skipUnavailable,
  startTarget,
  targetTitle,
  type Timings,
} from './targets/suite.js';
import { pollFor, waitForClients, type E2eTarget, type TargetBatch } from './targets/target.js';

const GROUP = 'nest_e2e_group';
const TOKEN = 'SJ_e2eTokenForTheTwoTargetSuite1';
const CLUSTER = 1;
const BROADCAST = 2;
const SHARDING = 3;
const MAP = 4;
const MAP_REDUCE = 5;

const requested = requestedTargets();
const real = obtainRealLaunch(requested);

/** trigger → final status, per target and scenario (printed at the end). */
const timings: Timings = {};

for (const name of requested) {
  if (skipUnavailable(name, real)) continue;

  describe(targetTitle(name), { timeout: name === 'real' ? 240_000 : 30_000 }, () => {
    const slow = name === 'real' ? 4 : 1; // the real server schedules with second granularity
    let target: E2eTarget;
    const apps: INestApplication[] = [];
    timings[name] = {};

    const startApp = (app: string, extra: Record<string, unknown> = {}) =>
      startClientApp(
        clientOptions(target.grpcPort, {
          group: GROUP,
          token: TOKEN,
          namespace: target.namespace,
          heartbeatIntervalMs: 1_000,
          labels: { zone: app.toLowerCase() },
          ...extra,
        }),
        [plainExecutors(app), TwoLevelMap, SquaresMapReduce],
      );

    beforeAll(async () => {
      const t0 = Date.now();
      target = await startTarget(name, GROUP, TOKEN, real);
      timings[name]['server start'] = Date.now() - t0;
      apps.push(await startApp('A'), await startApp('B'));
      await waitForClients(target, 2);
    }, 300_000);

    afterAll(async () => {
      await Promise.all(apps.splice(0).map((a) => a.close()));
      await target?.close();
    }, 60_000);

    afterEach(() => resetSeen());

    /** Creates a job, triggers it, waits for the final status and records the time it took. */
    async function run(
      scenario: string,
      job: Parameters<E2eTarget['createJob']>[0],
      timeoutMs = 15_000,
      tmpArgsStr?: string,
    ): Promise<TargetBatch> {
      const jobId = await target.createJob(job);
      const t0 = Date.now();
      const batchId = await target.trigger(jobId, tmpArgsStr);
      const batch = await target.waitForBatch(batchId, timeoutMs * slow);
      timings[name][scenario] = Date.now() - t0;
      return batch;
    }

    const nodeIdOf = (app: INestApplication) => app.get(SnailJobTransport).port;

    it('shows both clients and their executors in its lists (executor registration)', async () => {
      const nodes = await target.nodes();
      expect(nodes.map((n) => n.hostPort).sort()).toEqual(apps.map(nodeIdOf).sort());
      expect(nodes.map((n) => n.labels.zone).sort()).toEqual(['a', 'b']);
      const executors = await pollFor(
        () => target.executors(),
        (e) => e.length >= 14,
        20_000,
        'executors registered',
      );
      expect(executors).toEqual(
        expect.arrayContaining([
          'e2eEcho',
          'e2eFail',
          'e2eThrow',
          'e2eMap2',
          'e2eMr',
          'e2eBulkJob',
          'e2eWfC',
        ]),
      );
    });

    it('cluster: success stores the result', async () => {
      const b = await run('cluster success', { executorInfo: 'e2eEcho', taskType: CLUSTER, argsStr: 'hi' });
      expect(b.status).toBe('SUCCESS');
      expect(b.tasks).toHaveLength(1);
      expect(b.tasks[0].status).toBe('SUCCESS');
      expect(JSON.parse(b.tasks[0].result)).toMatchObject({ params: 'hi' });
    });

    it('cluster: an ExecuteResult.failure fails the batch with its result', async () => {
      const b = await run('cluster failure', { executorInfo: 'e2eFail', taskType: CLUSTER });
      expect(b.status).toBe('FAIL');
      expect(b.tasks[0].status).toBe('FAIL');
      expect(JSON.parse(b.tasks[0].result)).toMatchObject({ code: 42 });
    });

    it('cluster: a throwing handler fails the batch', async () => {
      const b = await run('cluster throw', { executorInfo: 'e2eThrow', taskType: CLUSTER });
      expect(b.status).toBe('FAIL');
      expect(b.tasks[0].status).toBe('FAIL');
    });

    it('a blank tmpArgsStr is ignored: the job args are used', async () => {
      const b = await run(
        'blank tmpArgsStr',
        { executorInfo: 'e2eEcho', taskType: CLUSTER, argsStr: 'stored' },
        15_000,
        '   ',
      );
      expect(b.status).toBe('SUCCESS');
      expect(JSON.parse(b.tasks[0].result)).toMatchObject({ params: 'stored' });
    });

    it('broadcast: one task on each app instance', async () => {
      const b = await run('broadcast', { executorInfo: 'e2eEcho', taskType: BROADCAST, argsStr: 'all' });
      expect(b.status).toBe('SUCCESS');
      expect(b.tasks.map((t) => (JSON.parse(t.result) as { app: string }).app).sort()).toEqual(['A', 'B']);
    });

    it('static sharding: one task per element with its index', async () => {
      const b = await run('sharding', {
        executorInfo: 'e2eShard',
        taskType: SHARDING,
        argsStr: JSON.stringify(['x', 'y', 'z']),
      });
      expect(b.status).toBe('SUCCESS');
      expect(b.tasks.map((t) => t.result).sort()).toEqual(['0/3:x', '1/3:y', '2/3:z']);
    });

    it('label routing: a job labelled zone=b runs on instance B only', async () => {
      const b = await run('label routing', {
        executorInfo: 'e2eEcho',
        taskType: CLUSTER,
        labels: { zone: 'b' },
      });
      expect(b.status).toBe('SUCCESS');
      expect(JSON.parse(b.tasks[0].result)).toMatchObject({ app: 'B' });
    });

    it('a two-level map: root → 2 → 4 leaves', async () => {
      const b = await run('two-level map', {
        executorInfo: 'e2eMap2',
        taskType: MAP,
        labels: { zone: 'a' },
      });
      expect(b.status).toBe('SUCCESS');
      expect(b.tasks).toHaveLength(7);
      const leaves = b.tasks.filter((t) => t.taskName === 'L2');
      expect(leaves.map((t) => t.result).sort()).toEqual(['leaf:a1', 'leaf:a2', 'leaf:b1', 'leaf:b2']);
      const l1 = b.tasks.filter((t) => t.taskName === 'L1').map((t) => t.id);
      for (const leaf of leaves) expect(l1).toContain(leaf.parentId);
    });

    it('map-reduce with merge: squares of 1..10 summed to 385', async () => {
      const b = await run(
        'map-reduce + merge',
        {
          executorInfo: 'e2eMr',
          taskType: MAP_REDUCE,
          argsStr: JSON.stringify({ shardNum: 3, argsStr: '' }),
          labels: { zone: 'a' },
        },
        20_000,
      );
      expect(b.status).toBe('SUCCESS');
      const squares = b.tasks.filter((t) => t.taskName === 'SQUARE').map((t) => Number(t.result));
      expect(squares.sort((x, y) => x - y)).toEqual([1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
      const reduces = b.tasks.filter((t) => t.taskName === 'REDUCE_TASK');
      expect(reduces).toHaveLength(3);
      expect(reduces.map((t) => Number(t.result)).reduce((x, y) => x + y, 0)).toBe(385);
      const merge = b.tasks.filter((t) => t.taskName === 'MERGE_REDUCE_TASK');
      expect(merge).toHaveLength(1);
      expect(merge[0].result).toBe('385');
    });

    it('a three-node workflow reads and appends context; the last node’s changes are not merged into the run', async () => {
      const ids = [
        await target.createJob({ executorInfo: 'e2eWfA', taskType: CLUSTER }),
        await target.createJob({ executorInfo: 'e2eWfB', taskType: CLUSTER }),
        await target.createJob({ executorInfo: 'e2eWfC', taskType: CLUSTER }),
      ];
      const wf = await target.createWorkflow(ids, { run: 'demo-1' });
      const t0 = Date.now();
      const run = await target.triggerWorkflow(wf);
      const done = await target.waitForWorkflowBatch(run, 30_000 * slow);
      timings[name]['workflow (3 nodes)'] = Date.now() - t0;
      expect(done.status).toBe('SUCCESS');
      expect(seen.wfRead.a).toEqual({ run: 'demo-1' });
      expect(seen.wfRead.b).toEqual({ run: 'demo-1', rows: 42 });
      expect(seen.wfRead.c).toEqual({ run: 'demo-1', rows: 42, doubled: 84 });
      // the last node's changes stay in its task: the run's context is what its successors would have seen
      expect(done.wfContext).toEqual({ run: 'demo-1', rows: 42, doubled: 84 });
      expect(done.nodeBatchIds).toHaveLength(3);
    });

    it('stop: the console stop aborts the running task and the batch ends STOP', async () => {
      const jobId = await target.createJob({ executorInfo: 'e2eWait', taskType: CLUSTER });
      const batchId = await target.trigger(jobId);
      await target.waitForBatch(batchId, 10_000 * slow, (b) => b.tasks.some((t) => t.status === 'RUNNING'));
      await new Promise((r) => setTimeout(r, 300)); // the dispatch has reached the client
      const t0 = Date.now();
      await target.stop(batchId);
      const b = await target.waitForBatch(batchId, 10_000 * slow);
      timings[name]['stop (stop → final)'] = Date.now() - t0;
      expect(b.status).toBe('STOP');
      expect(b.operationReason).toBe(8); // MANNER_STOP
      await pollFor(
        async () => seen.aborts,
        (a) => a.length === 1,
        10_000,
        'handler aborted',
      );
      expect(seen.aborts).toEqual(['stop']);
    });

    it('executorTimeout: a task running past it is aborted and the batch ends STOP (reason timeout)', async () => {
      const b = await run('executorTimeout (1 s)', {
        executorInfo: 'e2eWait',
        taskType: CLUSTER,
        executorTimeout: 1,
      });
      // JobTimeoutCheckTask stops the batch with TASK_EXECUTION_TIMEOUT (1)
      expect(b.status).toBe('STOP');
      expect(b.operationReason).toBe(1);
      await pollFor(
        async () => seen.aborts,
        (a) => a.length === 1,
        10_000,
        'handler aborted',
      );
      expect(seen.aborts).toEqual(['timeout']);
    });

    it('maxRetryTimes: a failing task is retried that often, then the batch fails', async () => {
      const b = await run(
        'maxRetryTimes=2',
        {
          executorInfo: 'e2eAlwaysFails',
          taskType: CLUSTER,
          argsStr: 'retry-me',
          maxRetryTimes: 2,
          retryInterval: 1,
        },
        20_000,
      );
      expect(b.status).toBe('FAIL');
      expect(seen.calls.get('always:retry-me')).toBe(3);
      expect(b.tasks[0].retryCount).toBe(2);
    });

    it('manual retry from the console: a failed batch runs again and succeeds', async () => {
      const jobId = await target.createJob({
        executorInfo: 'e2eFailsOnce',
        taskType: CLUSTER,
        argsStr: 'manual',
      });
      const batchId = await target.trigger(jobId);
      expect((await target.waitForBatch(batchId, 15_000 * slow)).status).toBe('FAIL');
      const t0 = Date.now();
      await target.retry(batchId);
      const b = await target.waitForBatch(batchId, 15_000 * slow, (x) => x.status === 'SUCCESS');
      timings[name]['manual retry (retry → final)'] = Date.now() - t0;
      expect(b.tasks[0].status).toBe('SUCCESS');
      expect(b.tasks[0].result).toBe('succeeded on attempt 2');
    });

    it('remote logs: read back through the log API with their levels', async () => {
      const b = await run('remote logs', { executorInfo: 'e2eLogs', taskType: CLUSTER, argsStr: 'world' });
      expect(b.status).toBe('SUCCESS');
      const task = b.tasks[0];
      const lines = await pollFor(
        () => target.taskLogs(b.id, task.id),
        (l) => l.filter((x) => !/^\s*$/.test(x.message) && /hello|after|wrong/.test(x.message)).length >= 3,
        30_000,
        'three log lines stored',
        500,
      );
      const ours = lines.filter((l) => /hello|after an await|went wrong/.test(l.message));
      expect(ours.map((l) => [l.level, l.message.split('\n')[0]])).toEqual([
        ['INFO', expect.stringMatching(/^hello world from [AB]$/)],
        ['WARN', 'after an await'],
        ['ERROR', 'it went wrong for order-9'],
      ]);
      expect(ours[2].fields.throwable ?? ours[2].message).toContain('card expired');
    });

    it('SJ-TOKEN: a client with the wrong group token is never listed; the right one is', async () => {
      const intruder = await startApp('X', { token: 'SJ_wrongTokenwrongTokenwrongToken' });
      try {
        await new Promise((r) => setTimeout(r, 3_000 * (name === 'real' ? 2 : 1)));
        const nodes = await target.nodes();
        expect(nodes.map((n) => n.hostPort)).not.toContain(nodeIdOf(intruder));
        expect(nodes).toHaveLength(2);
      } finally {
        await intruder.close();
      }
    });

    it('server restarted in the middle of a 1,000-job run: nothing lost, nothing twice', async () => {
      const jobId = await target.createJob({
        executorInfo: 'e2eBulkJob',
        taskType: CLUSTER,
        blockStrategy: 3, // CONCURRENCY: a trigger never waits for or discards an unfinished batch
        executorTimeout: 600,
      });
      const t0 = Date.now();
      const params = Array.from({ length: 1000 }, (_, i) => `job-${i}`);
      for (let i = 0; i < params.length; i += 8) {
        await Promise.all(params.slice(i, i + 8).map((p) => target.triggerOnly(jobId, p)));
      }
      const executed = () => [...seen.calls.keys()].filter((k) => k.startsWith('bulk:')).length;
      const beforeRestart = executed();
      await target.restart(2_000);
      const finalIds = await pollFor(
        () => target.batchesOf(jobId),
        (bs) => bs.length === 1000 && bs.every((b) => b.status !== 'RUNNING' && b.status !== 'WAITING'),
        name === 'real' ? 300_000 : 60_000,
        '1,000 batches final',
        1_000,
      ).catch(async (error: unknown) => {
        // Say where the unfinished batches stand: whether the client ever ran them, and their tasks' states.
        const open = (await target.batchesOf(jobId)).filter(
          (b) => b.status === 'RUNNING' || b.status === 'WAITING',
        );
        const details = await Promise.all(open.slice(0, 10).map((b) => target.batch(b.id)));
        const ran = new Set(
          [...seen.calls.keys()].filter((k) => k.startsWith('bulk:')).map((k) => k.slice(5)),
        );
        const lines = details.map(
          (b) =>
            `batch ${b.id} ${b.status}: ` +
            b.tasks.map((t) => `task ${t.id} ${t.status}, result ${JSON.stringify(t.result)}`).join('; '),
        );
        throw new Error(
          `${(error as Error).message.slice(0, 200)}…\nthe client ran ${ran.size} of 1,000 params; ` +
            `${open.length} batches open:\n${lines.join('\n')}`,
        );
      });
      timings[name]['1,000 jobs across a restart'] = Date.now() - t0;
      expect(beforeRestart).toBeLessThan(1000); // the restart came while jobs were still to run or report
      expect(finalIds.filter((b) => b.status !== 'SUCCESS')).toEqual([]);
      const counts = [...seen.calls.entries()].filter(([k]) => k.startsWith('bulk:')).map(([, n]) => n);
      expect(counts).toHaveLength(1000);
      expect(counts.every((n) => n === 1)).toBe(true);
      const results: string[] = [];
      for (let i = 0; i < finalIds.length; i += 16) {
        const batches = await Promise.all(finalIds.slice(i, i + 16).map((b) => target.batch(b.id)));
        for (const b of batches) results.push(...b.tasks.map((t) => t.result));
      }
      expect(results.sort()).toEqual([...params].sort());
    }, 600_000);
  });
}

afterAll(() => printTimings(timings));
