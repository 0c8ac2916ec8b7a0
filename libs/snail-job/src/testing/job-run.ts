import type { RemoteLogLevel } from '../logging/log-level.js';

/** Task types a test can run, in SnailJob's own words. */
export type TestTaskType = 'cluster' | 'broadcast' | 'sharding' | 'map' | 'mapReduce';

/** How a test run or one of its tasks ended. */
export type TestRunStatus = 'success' | 'failure' | 'stopped' | 'timeout';

/** What to run: the dispatch the in-memory server sends, in plain terms. */
export interface TestRunInput {
  /** The job's parameters (`args.jobParams`); an object is sent as its JSON text. */
  params?: string | object;
  /**
   * Task type. @default 'cluster' for a method executor; for a `@SnailJob` class, 'mapReduce' when it has a
   * `@ReduceTask()`, else 'map'
   */
  taskType?: TestTaskType;
  /**
   * SHARDING only: the number of shards (each gets `params`), or one params string per shard, as the
   * SnailJob console's sharding arguments (a JSON array) give them. @default 1
   */
  shards?: number | string[];
  /** MAP_REDUCE only: number of REDUCE tasks (the console's `shardNum`); 2 or more adds the MERGE stage. @default 1 */
  reduceShards?: number;
  /** Tasks of the batch running at once (the job's `parallelNum`). @default 1 */
  parallelNum?: number;
  /**
   * Runs the job as a workflow node with this workflow context (`args.wfContext`); the context after the run is
   * in {@link TestRun.wfContext}.
   */
  wfContext?: Record<string, unknown>;
  /** Runs the job as a workflow node even without a context. @default false (true when `wfContext` is set) */
  workflow?: boolean;
  /**
   * The job's executor timeout in whole seconds, as configured in the console: the client aborts the batch's
   * handlers with reason `'timeout'` when it runs longer, and the run ends as `'timeout'`. @default 60
   */
  timeoutSeconds?: number;
  /** Dispatch as a retry with this count (`args.retryCount`, `args.retryStatus`). @default 0 */
  retryCount?: number;
  /** Job id in the dispatch. @default 1 */
  jobId?: number;
}

/** One remote log line (`SnailJobLog.REMOTE`, captured Nest `Logger` calls, the client's own task lines). */
export interface TestLogLine {
  readonly taskId: number;
  readonly level: RemoteLogLevel;
  readonly message: string;
  /** Stack trace of a logged error. */
  readonly throwable?: string;
  /** `Class#method` of the handler, unless the call named another. */
  readonly location: string;
  /** Epoch ms. */
  readonly time: number;
}

/** One `doMap` request as the server received it. */
export interface TestMapRequest {
  readonly parentId: number;
  readonly taskName: string;
  readonly items: readonly unknown[];
}

/** One task of a test run. */
export interface TestTask {
  readonly taskId: number;
  /** Parent task (map children); 0 for a root. */
  readonly parentId: number;
  /** `CLUSTER_TASK`, `SHARDING_TASK`, `ROOT_MAP`, a `doMap` name, `REDUCE_TASK` or `MERGE_REDUCE_TASK`. */
  readonly taskName: string;
  /** Which handler ran it. */
  readonly stage: 'plain' | 'map' | 'reduce' | 'merge';
  readonly shardingIndex?: number;
  /** Still `'running'` only for a handler that ignored its abort signal. */
  status: TestRunStatus | 'running';
  /** The reported result value (`ExecuteResult.result`). */
  result?: unknown;
  /** The reported message (the error's message on failure). */
  message?: string;
  /** The workflow context keys this task changed (`args.appendContext`). */
  wfContextChanges?: Record<string, unknown>;
  /** Whether the task created children with `doMap` (a map parent). */
  parent: boolean;
}

/** Everything a test may assert about one run of an executor. */
export interface TestRun {
  readonly taskBatchId: number;
  readonly status: TestRunStatus;
  /**
   * The batch's result: the single task's result (cluster, broadcast), the MERGE result or the single REDUCE
   * result (map-reduce); for sharding and map, the results of the shards / map leaves in task order.
   */
  readonly result: unknown;
  /** The message of the first failed task, else of the last task. */
  readonly message: string | undefined;
  /** Every task, in dispatch order. */
  readonly tasks: readonly TestTask[];
  /** Every remote log line, in the order they were written. */
  readonly logs: readonly TestLogLine[];
  /** Every `doMap` request. */
  readonly mapRequests: readonly TestMapRequest[];
  /** Workflow context after the run: the input context plus every task's changes. */
  readonly wfContext: Readonly<Record<string, unknown>>;
}

/** A run in progress (see `SnailJobTester.start`). */
export interface RunningTest {
  readonly taskBatchId: number;
  /** Resolves once the batch finished, was stopped or timed out. */
  readonly done: Promise<TestRun>;
  /** Resolves once every dispatched task's handler has begun (for stop tests). */
  started(): Promise<void>;
  /** Stops the batch as the console's stop button does (`/job/stop/v1`), then resolves with the run. */
  stop(): Promise<TestRun>;
}
