import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.js';
import {
  BATCH_FINISHED,
  type PeerBatchOutcome,
  type PeerJobSpec,
  type PeerNode,
  type PeerTarget,
  type PeerWorkflowOutcome,
} from './target.js';

/*
 * The real SnailJob 2.0.2 server with its own PostgreSQL, started by the real-server harness of the e2e suites
 * (test/real-server/, compiled beside this bench by bench/tsconfig.peers.json) and driven through the console API
 * it wraps. The harness is loaded at run time so that this bench builds and runs (dev server only) without it.
 * The types below are the part of its API used here.
 */

interface RealBatchRow {
  id: string;
  taskBatchStatus: number;
  createDt: string;
}

interface RealTaskRow {
  id: string;
  taskName: string;
  taskStatus: number;
  retryCount: number;
  resultMessage: string | null;
  clientInfo: string | null;
  argsStr: string | null;
}

interface ConsoleApi {
  createGroup(groupName: string, token: string): Promise<void>;
  createJob(job: Record<string, unknown>): Promise<string>;
  triggerJob(jobId: string, tmpArgsStr?: string): Promise<void>;
  batches(jobId: string): Promise<RealBatchRow[]>;
  batch(id: string): Promise<RealBatchRow>;
  tasks(taskBatchId: string): Promise<RealTaskRow[]>;
  stopBatch(id: string): Promise<void>;
  pods(groupName: string): Promise<{ hostPort: number }[]>;
  createChainWorkflow(input: { groupName: string; workflowName: string; jobIds: string[] }): Promise<string>;
  triggerWorkflow(workflowId: string): Promise<void>;
  workflowBatches(workflowId: string): Promise<{ id: string }[]>;
  workflowBatch(
    id: string,
  ): Promise<{ workflowBatchStatus: number; wfContext: string | null; nodeConfig: unknown }>;
  taskLogs(taskBatchId: string, taskId: string, idleMs?: number): Promise<Record<string, string>[]>;
}

interface RealServerApi {
  readonly grpcPort: number;
  readonly pid: number | undefined;
  readonly console: ConsoleApi;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Harness {
  startRealServer(options?: { log?: (line: string) => void }): Promise<RealServerApi>;
}

interface NodeConfigView {
  conditionNodes?: {
    jobBatchList?: { taskBatchStatus?: number }[] | null;
    childNode?: NodeConfigView | null;
  }[];
  childNode?: NodeConfigView | null;
}

/** Statuses of a workflow run's node batches, in chain order (`WorkflowDetailResponse.nodeConfig`). */
function nodeStatuses(config: NodeConfigView | null | undefined): number[] {
  const out: number[] = [];
  const walk = (c: NodeConfigView | null | undefined): void => {
    if (!c) return;
    for (const n of c.conditionNodes ?? []) {
      for (const b of n.jobBatchList ?? []) out.push(b.taskBatchStatus ?? 0);
      walk(n.childNode);
    }
    walk(c.childNode);
  };
  walk(config);
  return out;
}

/** The port in a task's `clientInfo` (`hostId@ip:port`). */
function portOf(clientInfo: string | null): number | null {
  const m = /:(\d+)$/.exec(clientInfo ?? '');
  return m ? Number(m[1]) : null;
}

async function poll<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
  everyMs: number,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || performance.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

class RealServerTarget implements PeerTarget {
  readonly name = 'real SnailJob 2.0.2 server';
  private server: RealServerApi | undefined;
  private readonly groups = new Set<string>();
  /** When each batch was first seen finished (the console's timestamps have second resolution). */
  private readonly finishedSeen = new Map<string, number>();
  private names = 0;

  constructor(
    private readonly harness: Harness,
    private readonly log: (line: string) => void,
  ) {}

  get grpcPort(): number {
    return this.server?.grpcPort ?? 0;
  }

  private get c(): ConsoleApi {
    if (!this.server) throw new Error('the real server is not running');
    return this.server.console;
  }

  pid(): number | undefined {
    return this.server?.pid;
  }

  async start(): Promise<void> {
    this.server = await this.harness.startRealServer({ log: this.log });
  }

  async restart(): Promise<void> {
    await this.server!.restart();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  async ensureGroup(group: string, token: string): Promise<void> {
    if (this.groups.has(group)) return;
    await this.c.createGroup(group, token);
    this.groups.add(group);
  }

  createJob(spec: PeerJobSpec): Promise<string> {
    const { group, name, ...rest } = spec;
    return this.c.createJob({ ...rest, groupName: group, jobName: name });
  }

  async trigger(jobId: string, tmpArgsStr?: string): Promise<string> {
    const before = new Set((await this.c.batches(jobId)).map((b) => b.id));
    await this.c.triggerJob(jobId, tmpArgsStr);
    const rows = await poll(
      () => this.c.batches(jobId),
      (bs) => bs.some((b) => !before.has(b.id)),
      15_000,
      100,
    );
    const id = rows.find((b) => !before.has(b.id))?.id;
    if (!id) throw new Error(`no new batch of job ${jobId} within 15 s`);
    return id;
  }

  async triggerBurst(jobId: string, count: number, argsFor: () => string): Promise<string[]> {
    const before = new Set((await this.c.batches(jobId)).map((b) => b.id));
    let left = count;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (left-- > 0) await this.c.triggerJob(jobId, argsFor());
      }),
    );
    const rows = await poll(
      () => this.c.batches(jobId),
      (bs) => bs.filter((b) => !before.has(b.id)).length >= count,
      30_000,
      200,
    );
    const ids = rows.filter((b) => !before.has(b.id)).map((b) => b.id);
    void this.watchFinishes(jobId, new Set(ids));
    return ids;
  }

  /** Notes when each batch of a burst is first seen finished, one list request every 200 ms (at most 2 min). */
  private async watchFinishes(jobId: string, ids: Set<string>): Promise<void> {
    const deadline = performance.now() + 120_000;
    while (ids.size > 0 && performance.now() < deadline && this.server) {
      try {
        for (const b of await this.c.batches(jobId)) {
          if (ids.has(b.id) && BATCH_FINISHED.has(b.taskBatchStatus)) {
            if (!this.finishedSeen.has(b.id)) this.finishedSeen.set(b.id, Date.now());
            ids.delete(b.id);
          }
        }
      } catch {
        // the server may be restarting; try again
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async waitBatch(batchId: string, timeoutMs: number): Promise<PeerBatchOutcome> {
    const row = await poll(
      () => this.c.batch(batchId),
      (b) => BATCH_FINISHED.has(b.taskBatchStatus),
      timeoutMs,
      250,
    );
    const finished = BATCH_FINISHED.has(row.taskBatchStatus);
    if (finished && !this.finishedSeen.has(batchId)) this.finishedSeen.set(batchId, Date.now());
    const tasks = await this.c.tasks(batchId);
    return {
      id: batchId,
      status: row.taskBatchStatus,
      createdAt: Date.parse(row.createDt.replace(' ', 'T')),
      finishedAt: finished ? this.finishedSeen.get(batchId)! : null,
      tasks: tasks.map((t) => ({
        taskName: t.taskName,
        argsStr: t.argsStr,
        status: t.taskStatus,
        result: t.resultMessage ?? '',
        message: t.resultMessage,
        retryCount: t.retryCount,
        hostPort: portOf(t.clientInfo),
        wfContext: null,
      })),
    };
  }

  async batchProgress(batchId: string): Promise<{ status: number; tasks: number; finished: number }> {
    const [row, tasks] = await Promise.all([this.c.batch(batchId), this.c.tasks(batchId)]);
    return {
      status: row.taskBatchStatus,
      tasks: tasks.length,
      finished: tasks.filter((t) => t.taskStatus >= 3).length,
    };
  }

  stopBatch(batchId: string): Promise<void> {
    return this.c.stopBatch(batchId);
  }

  async logLines(batchId: string): Promise<number> {
    const tasks = await this.c.tasks(batchId);
    let n = 0;
    for (const t of tasks) n += (await this.c.taskLogs(batchId, t.id, 1_500)).length;
    return n;
  }

  async nodes(group: string): Promise<PeerNode[]> {
    return (await this.c.pods(group)).map((p) => ({ hostPort: p.hostPort, group }));
  }

  createWorkflow(group: string, jobIds: string[]): Promise<string> {
    return this.c.createChainWorkflow({ groupName: group, workflowName: `peers-wf-${++this.names}`, jobIds });
  }

  async triggerWorkflow(workflowId: string): Promise<string> {
    const before = new Set((await this.c.workflowBatches(workflowId)).map((b) => b.id));
    await this.c.triggerWorkflow(workflowId);
    const rows = await poll(
      () => this.c.workflowBatches(workflowId),
      (bs) => bs.some((b) => !before.has(b.id)),
      15_000,
      100,
    );
    const id = rows.find((b) => !before.has(b.id))?.id;
    if (!id) throw new Error(`no new run of workflow ${workflowId} within 15 s`);
    return id;
  }

  async waitWorkflow(runId: string, timeoutMs: number): Promise<PeerWorkflowOutcome> {
    const run = await poll(
      () => this.c.workflowBatch(runId),
      (w) => BATCH_FINISHED.has(w.workflowBatchStatus),
      timeoutMs,
      250,
    );
    return {
      status: run.workflowBatchStatus,
      wfContext: run.wfContext ?? '{}',
      nodeStatuses: nodeStatuses(run.nodeConfig as NodeConfigView),
    };
  }
}

/**
 * The real server as a target, or the reason it cannot be had: the harness is not in this tree, or (when
 * starting) the server jar cannot be obtained (the harness then says what Maven answered).
 */
export async function realTarget(log: (line: string) => void): Promise<PeerTarget | string> {
  const compiled = join(ROOT, 'bench/dist/peers-bench/test/real-server/real-server.js');
  if (!existsSync(compiled)) return 'the real-server harness (test/real-server/) is not in this tree';
  const harness = (await import(pathToFileURL(compiled).href)) as Harness;
  return new RealServerTarget(harness, log);
}
