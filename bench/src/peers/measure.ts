import { RssSampler, readCpuMs, readRss } from '../support/proc.js';
import { percentile } from '../support/stats.js';
import type { PeerClient } from './clients.js';
import { freePort, waitFor, type ManagedProcess } from './process.js';
import type { PeerTarget } from './target.js';

/** Sizes and limits of one run (`--quick` shrinks them for a smoke run). */
export interface PeerBenchPlan {
  burstJobs: number;
  warmupJobs: number;
  mapItems: number[];
  /** End-to-end limit of one doMap run, ms. */
  mapBudgetMs: number;
  logLines: number;
  registerBudgetMs: number;
  recoverBudgetMs: number;
}

export const FULL_PLAN: PeerBenchPlan = {
  burstJobs: 300,
  warmupJobs: 20,
  mapItems: [10_000, 100_000],
  mapBudgetMs: 60_000,
  logLines: 10_000,
  registerBudgetMs: 90_000,
  recoverBudgetMs: 60_000,
};

export const QUICK_PLAN: PeerBenchPlan = {
  burstJobs: 60,
  warmupJobs: 5,
  mapItems: [1_000],
  mapBudgetMs: 30_000,
  logLines: 1_000,
  registerBudgetMs: 90_000,
  recoverBudgetMs: 45_000,
};

export interface MapFigures {
  items: number;
  /** Trigger → the root task's fan-out done (its handler's own clock). */
  acceptedMs: number | null;
  /** Trigger → the server closed the batch; null when it did not within the budget. */
  endToEndMs: number | null;
  finishedTasks: number;
  status: number;
}

/** Everything measured for one client against one server. */
export interface PeerFigures {
  client: string;
  server: string;
  /** Why nothing (or only start-up figures) could be measured. */
  blocked?: string;
  /** Spawn → the first job the server records as successful on this client. */
  registerMs?: number;
  idleRssMiB?: number;
  burst?: {
    jobs: number;
    succeeded: number;
    jobsPerSec: number;
    /** Trigger request sent → handler start (wall clock, µs resolution on both sides). */
    latencyP50Ms: number;
    latencyP99Ms: number;
    cpuMsPerJob: number;
    loadedRssMiB: number;
  };
  maps: MapFigures[];
  logs?: { lines: number; delivered: number; ms: number };
  /** Server back up → the first successful job on this client. */
  recoverMs?: number;
  /** What a dispatch answered where the client cannot execute it. */
  dispatchAnswer?: string;
  lost: number;
  crashed: boolean;
  notes: string[];
}

const MiB = 1024 * 1024;
const nowUs = (): number => (performance.timeOrigin + performance.now()) * 1000;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** Triggers a noop job every 250 ms until one succeeds; ms until then. */
async function firstSuccess(
  target: PeerTarget,
  jobId: string,
  budgetMs: number,
  from: number,
): Promise<number> {
  const deadline = from + budgetMs;
  for (;;) {
    const batch = await target.waitBatch(await target.trigger(jobId), 5_000);
    if (batch.status === 3) return performance.now() - from;
    if (performance.now() > deadline) throw new Error(`no successful job within ${budgetMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export class PeerMeasurement {
  readonly figures: PeerFigures;
  private proc: ManagedProcess | undefined;
  private noopJob = '';

  constructor(
    private readonly client: PeerClient,
    private readonly target: PeerTarget,
    private readonly plan: PeerBenchPlan,
    private readonly logDir: string,
  ) {
    this.figures = { client: client.name, server: target.name, maps: [], lost: 0, crashed: false, notes: [] };
  }

  private async env(): Promise<Record<string, string>> {
    return {
      SNAIL_SERVER_HOST: '127.0.0.1',
      SNAIL_SERVER_PORT: String(this.target.grpcPort),
      SNAIL_HOST_IP: '127.0.0.1',
      SNAIL_BIND_HOST: '127.0.0.1',
      SNAIL_HOST_PORT: String(await freePort()),
      SNAIL_GROUP_NAME: this.client.group,
      SNAIL_TOKEN: this.client.token,
    };
  }

  private job(executorInfo: string, taskType: number, extra: Record<string, unknown> = {}): Promise<string> {
    return this.target.createJob({
      group: this.client.group,
      executorInfo,
      taskType,
      executorType: this.client.executorType,
      executorTimeout: 300,
      blockStrategy: 3,
      ...extra,
    });
  }

  /** Starts the client and waits until it runs a job. */
  async start(): Promise<void> {
    await this.target.ensureGroup(this.client.group, this.client.token);
    this.noopJob = await this.job('peerNoop', 1);
    const spawned = performance.now();
    this.proc = this.client.spawn(await this.env(), this.logDir);
    if (this.client.dispatchBlocked) {
      await this.probeBlocked(spawned);
      return;
    }
    this.figures.registerMs = await firstSuccess(
      this.target,
      this.noopJob,
      this.plan.registerBudgetMs,
      spawned,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    this.figures.idleRssMiB = readRss(this.proc.pid).rss / MiB;
  }

  /** For a client that cannot execute 2.0.x dispatches: when it registers, its memory, and what it answers. */
  private async probeBlocked(spawned: number): Promise<void> {
    this.figures.blocked = this.client.dispatchBlocked;
    const proc = this.proc!;
    const registered = await waitFor(
      async () => (await this.target.nodes(this.client.group)).length > 0 || !proc.running,
      this.plan.registerBudgetMs,
      `${this.client.name} to register`,
    );
    if (!proc.running) throw new Error(`${this.client.name} exited during start-up`);
    this.figures.notes.push(`node listed ${Math.round(registered)} ms after spawn`);
    // Listed is not yet schedulable (one registration sweep); then one dispatch shows what the client answers.
    let answer = '';
    await waitFor(
      async () => {
        const batch = await this.target.waitBatch(await this.target.trigger(this.noopJob), 5_000);
        const task = batch.tasks[0];
        if (task?.hostPort === null || task === undefined)
          return performance.now() - spawned > this.plan.registerBudgetMs;
        answer = task.message ?? '';
        return true;
      },
      this.plan.registerBudgetMs,
      `a dispatch to ${this.client.name}`,
    );
    this.figures.registerMs = performance.now() - spawned;
    this.figures.dispatchAnswer = answer.split('\n')[0].slice(0, 200);
    await new Promise((r) => setTimeout(r, 2_000));
    this.figures.idleRssMiB = readRss(proc.pid).rss / MiB;
  }

  /** A burst of cluster no-op jobs, all triggered at once through the API; the server says when each ended. */
  async burst(): Promise<void> {
    const warm = await pool(Array.from({ length: this.plan.warmupJobs }), 4, () =>
      this.target.trigger(this.noopJob),
    );
    await Promise.all(warm.map((id) => this.target.waitBatch(id, 30_000)));
    const pid = this.proc!.pid;
    const rss = new RssSampler(pid, 20);
    const cpu0 = readCpuMs(pid);
    const firstTriggerMs = Date.now();
    const sent = await pool(Array.from({ length: this.plan.burstJobs }), 8, async () => {
      const at = nowUs();
      return { at, id: await this.target.trigger(this.noopJob) };
    });
    const batches = await Promise.all(sent.map((s) => this.target.waitBatch(s.id, 60_000)));
    const cpuMs = readCpuMs(pid) - cpu0;
    const peak = rss.stop();
    const ok = batches.filter((b) => b.status === 3);
    const lastEnd = Math.max(...ok.map((b) => b.finishedAt ?? 0));
    const latencies = batches
      .map((b, i) => (b.status === 3 ? (Number(b.tasks[0]?.result) - sent[i].at) / 1000 : NaN))
      .filter((v) => Number.isFinite(v));
    this.figures.lost += this.plan.burstJobs - ok.length;
    this.figures.burst = {
      jobs: this.plan.burstJobs,
      succeeded: ok.length,
      jobsPerSec: ok.length / ((lastEnd - firstTriggerMs) / 1000),
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      cpuMsPerJob: cpuMs / this.plan.burstJobs,
      loadedRssMiB: peak / MiB,
    };
    if (ok.length < batches.length) {
      const bad = batches.find((b) => b.status !== 3);
      this.figures.notes.push(
        `burst: ${batches.length - ok.length} not successful, e.g. status ${bad?.status} "${bad?.tasks[0]?.message ?? ''}"`,
      );
    }
  }

  /** doMap of `items` items: trigger → fan-out done (root's clock) and → batch closed by the server. */
  async map(items: number): Promise<void> {
    const jobId = await this.job('peerMap', 4, { argsStr: String(items), parallelNum: 4 });
    const triggeredUs = nowUs();
    const t0 = performance.now();
    const batchId = await this.target.trigger(jobId);
    const batch = await this.target.waitBatch(batchId, this.plan.mapBudgetMs);
    const elapsed = performance.now() - t0;
    const root = batch.tasks.find((t) => t.taskName === 'ROOT_MAP');
    const rootDone = root && root.status === 3 ? (Number(root.result) - triggeredUs) / 1000 : NaN;
    const finished = batch.tasks.filter((t) => t.taskName === 'ITEM' && t.status >= 3).length;
    const closed = batch.status === 3 && batch.finishedAt !== null;
    this.figures.maps.push({
      items,
      acceptedMs: Number.isFinite(rootDone) ? rootDone : null,
      endToEndMs: closed ? elapsed : null,
      finishedTasks: finished,
      status: batch.status,
    });
    if (!closed) {
      this.figures.notes.push(
        `doMap ${items}: batch status ${batch.status} after ${Math.round(elapsed)} ms, ${finished} of ${items} items done`,
      );
      if (batch.status !== 2 && batch.status !== 1) this.figures.lost += items - finished;
      await this.target.stopBatch(batchId).catch(() => undefined);
    }
  }

  /** `logLines` remote log lines from one task: how many arrive, and when the last did. */
  async logs(): Promise<void> {
    const lines = this.plan.logLines;
    const jobId = await this.job('peerLog', 1, { argsStr: String(lines) });
    const t0 = performance.now();
    const batchId = await this.target.trigger(jobId);
    await this.target.waitBatch(batchId, 60_000);
    let delivered = 0;
    let lastChange = performance.now();
    // The Python client flushes a partial buffer 10 s after its first line: wait up to 15 s for a change.
    while (delivered < lines && performance.now() - lastChange < 15_000 && performance.now() - t0 < 90_000) {
      const n = await this.target.logLines(batchId);
      if (n !== delivered) {
        delivered = n;
        lastChange = performance.now();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    this.figures.logs = { lines, delivered, ms: lastChange - t0 };
    this.figures.lost += Math.max(0, lines - delivered);
  }

  /** Restarts the server; ms from its being back until this client runs a job again. */
  async recover(): Promise<void> {
    await this.target.stop();
    await this.target.start();
    const back = performance.now();
    await this.target.ensureGroup(this.client.group, this.client.token);
    const jobId = await this.job('peerNoop', 1);
    this.figures.recoverMs = await firstSuccess(this.target, jobId, this.plan.recoverBudgetMs, back);
  }

  async stop(): Promise<void> {
    if (this.proc) {
      this.figures.crashed = !this.proc.running;
      if (this.figures.crashed)
        this.figures.notes.push(`client exited: code ${this.proc.exitCode} signal ${this.proc.exitSignal}`);
      await this.proc.stop();
    }
  }

  get process(): ManagedProcess | undefined {
    return this.proc;
  }
}
