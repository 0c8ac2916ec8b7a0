import type { PeerClient } from './clients.js';
import type { PeerBatchOutcome, PeerTarget } from './target.js';

/**
 * "The dev server, judged by strangers": scenarios whose end state the server records, run with each client. The
 * outcome of each is a short text without ids or times, so the same client's outcome on two servers can be
 * compared as it is.
 */
export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<string>;
}

export interface ScenarioContext {
  target: PeerTarget;
  client: PeerClient;
}

const STATUS: Record<number, string> = {
  0: 'NONE',
  1: 'WAITING',
  2: 'RUNNING',
  3: 'SUCCESS',
  4: 'FAIL',
  5: 'STOP',
  6: 'CANCEL',
};
const name = (s: number | null | undefined): string => STATUS[s ?? 0] ?? String(s);

function job(
  ctx: ScenarioContext,
  executorInfo: string,
  taskType: number,
  extra: Record<string, unknown> = {},
): Promise<string> {
  return ctx.target.createJob({
    group: ctx.client.group,
    executorInfo,
    taskType,
    executorType: ctx.client.executorType,
    executorTimeout: 60,
    ...extra,
  });
}

async function runOnce(ctx: ScenarioContext, jobId: string, timeoutMs = 30_000): Promise<PeerBatchOutcome> {
  return ctx.target.waitBatch(await ctx.target.trigger(jobId), timeoutMs);
}

/** Task statuses by task name, e.g. `ROOT_MAP:SUCCESS ITEM:SUCCESSx100`. */
function taskSummary(batch: PeerBatchOutcome): string {
  const counts = new Map<string, number>();
  for (const t of batch.tasks) {
    const key = `${t.taskName}:${name(t.status)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => (n > 1 ? `${k}x${n}` : k))
    .join(' ');
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'cluster',
    run: async (ctx) => {
      const b = await runOnce(ctx, await job(ctx, 'peerNoop', 1));
      return `${name(b.status)}; ${taskSummary(b)}`;
    },
  },
  {
    name: 'broadcast',
    run: async (ctx) => {
      const b = await runOnce(ctx, await job(ctx, 'peerNoop', 2));
      return `${name(b.status)}; ${taskSummary(b)}`;
    },
  },
  {
    name: 'sharding',
    run: async (ctx) => {
      const b = await runOnce(ctx, await job(ctx, 'peerShard', 3, { argsStr: '["a","b","c"]' }));
      const results = b.tasks.map((t) => t.result).sort();
      return `${name(b.status)}; ${taskSummary(b)}; results ${results.join(',')}`;
    },
  },
  {
    name: 'map',
    run: async (ctx) => {
      const b = await runOnce(ctx, await job(ctx, 'peerMap', 4, { argsStr: '300', parallelNum: 2 }), 60_000);
      return `${name(b.status)}; ${taskSummary(b)}`;
    },
  },
  {
    name: 'map-reduce',
    run: async (ctx) => {
      const b = await runOnce(
        ctx,
        await job(ctx, 'peerMapReduce', 5, {
          argsStr: JSON.stringify({ shardNum: 2, argsStr: '300' }),
          parallelNum: 2,
        }),
        60_000,
      );
      const merge = b.tasks.find((t) => t.taskName === 'MERGE_REDUCE_TASK');
      return `${name(b.status)}; ${taskSummary(b)}; merge result ${merge?.result ?? '-'}`;
    },
  },
  {
    name: 'workflow context',
    run: async (ctx) => {
      const first = await job(ctx, 'peerWorkflow', 1, { argsStr: 'one' });
      const second = await job(ctx, 'peerWorkflow', 1, { argsStr: 'two' });
      const wf = await ctx.target.createWorkflow(ctx.client.group, [first, second]);
      const run = await ctx.target.waitWorkflow(await ctx.target.triggerWorkflow(wf), 30_000);
      let context: Record<string, unknown> = {};
      try {
        context = JSON.parse(run.wfContext || '{}') as Record<string, unknown>;
      } catch {
        // reported as it is below
      }
      const values = [first, second].map((id) => context[`peer_${ctx.client.key}_${id}`] ?? '-');
      return `${name(run.status)}; nodes ${run.nodeStatuses.map(name).join(',')}; context ${values.join(',')}`;
    },
  },
  {
    name: 'stop',
    run: async (ctx) => {
      const jobId = await job(ctx, 'peerSleep', 1, { argsStr: '20000' });
      const batchId = await ctx.target.trigger(jobId);
      await new Promise((r) => setTimeout(r, 2_000));
      await ctx.target.stopBatch(batchId);
      // Give a late report from the client the time to arrive and be applied (or ignored).
      await new Promise((r) => setTimeout(r, 2_000));
      const b = await ctx.target.waitBatch(batchId, 10_000);
      return `${name(b.status)}; ${taskSummary(b)}`;
    },
  },
  {
    name: 'timeout',
    run: async (ctx) => {
      const b = await runOnce(
        ctx,
        await job(ctx, 'peerSleep', 1, { argsStr: '8000', executorTimeout: 2 }),
        30_000,
      );
      // The client's own report (after 8 s) may still change what the server shows.
      await new Promise((r) => setTimeout(r, 8_000));
      const after = await ctx.target.waitBatch(b.id, 1_000);
      return `${name(b.status)}; ${taskSummary(b)}; 8 s later ${name(after.status)}; ${taskSummary(after)}`;
    },
  },
  {
    name: 'retry',
    run: async (ctx) => {
      const b = await runOnce(
        ctx,
        await job(ctx, 'peerFail', 1, { maxRetryTimes: 2, retryInterval: 1 }),
        40_000,
      );
      const retries = b.tasks.map((t) => t.retryCount ?? 0).join(',');
      return `${name(b.status)}; ${taskSummary(b)}; retryCount ${retries}`;
    },
  },
];
