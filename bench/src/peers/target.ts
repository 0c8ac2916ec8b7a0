/**
 * A SnailJob server the peers bench drives: our dev server or the real Java server. Both are used only through
 * what a user has (an API to define and trigger jobs and to read what the server recorded), never by looking
 * into the client under test.
 */

/** A job as the bench defines it (numbers are the SnailJob codes). */
export interface PeerJobSpec {
  group: string;
  executorInfo: string;
  /** 1 CLUSTER, 2 BROADCAST, 3 SHARDING, 4 MAP, 5 MAP_REDUCE. */
  taskType: number;
  executorType: number;
  argsStr?: string;
  parallelNum?: number;
  /** Seconds. */
  executorTimeout?: number;
  maxRetryTimes?: number;
  /** Seconds. */
  retryInterval?: number;
  /** 3 CONCURRENCY lets a burst of triggers of one job run side by side. */
  blockStrategy?: number;
}

/** One task of a finished (or timed-out) batch, as the server recorded it. */
export interface PeerTaskOutcome {
  taskName: string;
  status: number;
  result: string;
  message: string | null;
  retryCount: number | null;
  hostPort: number | null;
  wfContext: string | null;
}

/** A batch as the server recorded it. */
export interface PeerBatchOutcome {
  id: string;
  /** 1 WAITING, 2 RUNNING, 3 SUCCESS, 4 FAIL, 5 STOP, 6 CANCEL; 0 when it never appeared. */
  status: number;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; null while unfinished. */
  finishedAt: number | null;
  tasks: PeerTaskOutcome[];
}

export interface PeerWorkflowOutcome {
  status: number;
  wfContext: string;
  nodeStatuses: number[];
}

export interface PeerNode {
  hostPort: number;
  group: string;
}

export interface PeerTarget {
  readonly name: string;
  /** Where clients send their calls. */
  readonly grpcPort: number;
  /** Starts the server (first time or after `stop`), on the same ports each time. */
  start(): Promise<void>;
  /** Stops the server process (SIGTERM, then SIGKILL), by PID. */
  stop(): Promise<void>;
  /** PID of the server's process, for CPU figures. */
  pid(): number | undefined;
  /** Makes sure a group with that token exists (again after a restart where the server forgets). */
  ensureGroup(group: string, token: string): Promise<void>;
  createJob(spec: PeerJobSpec): Promise<string>;
  /** Triggers one run; resolves with the batch id. */
  trigger(jobId: string, tmpArgsStr?: string): Promise<string>;
  /** The batch's state: at the end, or as it is when `timeoutMs` runs out (status unfinished then). */
  waitBatch(batchId: string, timeoutMs: number): Promise<PeerBatchOutcome>;
  /** Count of the batch's tasks per status, cheap enough to poll. */
  batchProgress(batchId: string): Promise<{ status: number; tasks: number; finished: number }>;
  stopBatch(batchId: string): Promise<void>;
  /** Remote log lines the server stored for a batch. */
  logLines(batchId: string): Promise<number>;
  nodes(group: string): Promise<PeerNode[]>;
  /** A linear workflow of the given jobs; resolves with the workflow id. */
  createWorkflow(group: string, jobIds: string[]): Promise<string>;
  triggerWorkflow(workflowId: string): Promise<string>;
  waitWorkflow(runId: string, timeoutMs: number): Promise<PeerWorkflowOutcome>;
}

export const BATCH_FINISHED = new Set([3, 4, 5, 6]);
