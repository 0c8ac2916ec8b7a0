import { BatchStatus, TaskStatus } from 'nestjs-snail-job/protocol';

/** Status names shared by batches and tasks (SnailJob's `JobTaskBatchStatusEnum` / `JobTaskStatusEnum`). */
export type StatusName = 'WAITING' | 'RUNNING' | 'SUCCESS' | 'FAIL' | 'STOP' | 'CANCEL' | string;

export const FINAL: readonly StatusName[] = ['SUCCESS', 'FAIL', 'STOP', 'CANCEL'];

export const batchStatusName = (n: number): StatusName => BatchStatus[n] ?? String(n);
export const taskStatusName = (n: number): StatusName => TaskStatus[n] ?? String(n);

/** A task as a target's API shows it. */
export interface TargetTask {
  id: string;
  parentId: string;
  taskName: string;
  status: StatusName;
  /** `result_message` as stored. */
  result: string;
  leaf: boolean;
  retryCount: number;
}

/** A batch as a target's API shows it. */
export interface TargetBatch {
  id: string;
  status: StatusName;
  operationReason: number;
  tasks: TargetTask[];
}

/** A job as the scenarios define it (the fields both targets understand). */
export interface TargetJob {
  executorInfo: string;
  /** 1 CLUSTER, 2 BROADCAST, 3 SHARDING, 4 MAP, 5 MAP_REDUCE. */
  taskType: number;
  argsStr?: string;
  parallelNum?: number;
  executorTimeout?: number;
  maxRetryTimes?: number;
  retryInterval?: number;
  routeKey?: number;
  /** 1 DISCARD, 2 OVERLAY, 3 CONCURRENCY, 4 RECOVERY. */
  blockStrategy?: number;
  labels?: Record<string, string>;
}

/** One remote log line as a target's log API returns it. */
export interface TargetLogLine {
  level: string;
  message: string;
  /** Every stored field (`time_stamp`, `level`, `thread`, `message`, `location`, `throwable`, …). */
  fields: Record<string, string>;
}

/** A client node as a target lists it. */
export interface TargetNode {
  hostId: string;
  hostPort: number;
  labels: Record<string, string>;
}

/** A workflow run. */
export interface TargetWorkflowBatch {
  status: StatusName;
  wfContext: Record<string, unknown>;
  /** Batch id of every node that ran, in chain order. */
  nodeBatchIds: string[];
}

/** What a scenario needs from a server: the dev server or the real SnailJob server, same operations. */
export interface E2eTarget {
  readonly name: 'dev' | 'real';
  /** gRPC port clients dial on 127.0.0.1. */
  readonly grpcPort: number;
  /** The server's HTTP root with its context path, where its OpenAPI lives (`…/snail-job`). */
  readonly openApiUrl: string;
  readonly namespace: string;
  readonly group: string;
  readonly token: string;
  /** Creates a job (one that never fires on a schedule). */
  createJob(job: TargetJob): Promise<string>;
  /** The console's "execute"; answers the new batch's id. */
  trigger(jobId: string, tmpArgsStr?: string): Promise<string>;
  /** "execute" without waiting for the batch id (for many triggers of one job). */
  triggerOnly(jobId: string, tmpArgsStr?: string): Promise<void>;
  /** Every batch of a job with its status (no tasks). */
  batchesOf(jobId: string): Promise<{ id: string; status: StatusName }[]>;
  batch(batchId: string): Promise<TargetBatch>;
  /** Polls until the batch is final (or `until` holds); throws with the last state on timeout. */
  waitForBatch(batchId: string, timeoutMs: number, until?: (b: TargetBatch) => boolean): Promise<TargetBatch>;
  stop(batchId: string): Promise<void>;
  /** The console's manual retry of a finished batch. */
  retry(batchId: string): Promise<void>;
  /** The log lines stored for one task, read through the target's log API. */
  taskLogs(batchId: string, taskId: string): Promise<TargetLogLine[]>;
  /** Executor names registered for the group. */
  executors(): Promise<string[]>;
  nodes(): Promise<TargetNode[]>;
  /** A chain workflow of the given jobs; answers its id. */
  createWorkflow(jobIds: string[], wfContext?: Record<string, unknown>): Promise<string>;
  triggerWorkflow(workflowId: string): Promise<string>;
  /** Ids of a workflow's runs, newest first (the real console's job batch list leaves workflow nodes out). */
  workflowRunIds(workflowId: string): Promise<string[]>;
  waitForWorkflowBatch(id: string, timeoutMs: number): Promise<TargetWorkflowBatch>;
  /** Takes the server away and brings it back (real: JVM restart on the same DB; dev: gRPC endpoint paused). */
  restart(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Polls `read` until `done` holds; throws with the last value on timeout. */
export async function pollFor<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const state = last === undefined ? String(lastError) : JSON.stringify(last).slice(0, 1500);
      throw new Error(`${what}: not reached within ${timeoutMs} ms; last: ${state}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Waits until the target lists `nodes` client nodes of its group and, among the group's executors, every name in
 * `executors`. The real server dispatches only to nodes it has taken in: a batch triggered before is cancelled
 * (reason 2), so scenarios start after this.
 */
export async function waitForClients(
  target: E2eTarget,
  nodes: number,
  executors: readonly string[] = [],
): Promise<void> {
  await pollFor(
    () => target.nodes(),
    (ns) => ns.length >= nodes,
    60_000,
    `${nodes} client node(s) registered`,
  );
  await pollFor(
    () => target.executors(),
    (names) => executors.every((x) => names.includes(x)),
    20_000,
    `executors ${executors.join(', ')} registered`,
  );
}
