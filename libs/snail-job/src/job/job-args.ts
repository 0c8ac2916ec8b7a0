import type { SnailId } from '../protocol/payloads.js';
import type { ExecuteResult } from './execute-result.js';

/**
 * Arguments of a plain executor (cluster, broadcast, sharding, workflow node). `P` is the type of
 * {@link JobArgs.params}: `JobArgs<InferParams<typeof schema>>` for an executor declared with a params schema.
 */
export class JobArgs<P = unknown> {
  /** Job id. */
  jobId!: SnailId;
  /** Job business id (string), when the server sends it. */
  jobBizId?: string;
  /** Batch ("instance") id. */
  taskBatchId!: SnailId;
  /** Task id: the unit the result is reported for. */
  taskId!: SnailId;
  /** 1 CLUSTER, 2 BROADCAST, 3 SHARDING, 4 MAP, 5 MAP_REDUCE. */
  taskType!: number;
  /** Executor name the job is configured with. */
  executorInfo!: string;
  /** The job's raw parameter string, or `undefined` when the job has none. */
  jobParams?: string;
  /**
   * The job's params as validated by the executor's schema (`@SnailJob(name, { params })`, see
   * docs/typed-params.md); `undefined` for an executor without one.
   */
  params!: P;
  /** 0-based shard index (first dispatch of a SHARDING task only; absent on retries). */
  shardingIndex?: number;
  /** Number of shards (first dispatch of a SHARDING task only). */
  shardingTotal?: number;
  /** How often this task was retried. */
  retryCount?: number;
  /** True when this dispatch is a retry of the same task. */
  retryStatus!: boolean;
  /** 1 automatic, 2 manual, on retries. */
  retryScene?: number;
  /** Workflow batch id, inside a workflow. */
  workflowTaskBatchId?: SnailId;
  /** Workflow node id, inside a workflow. */
  workflowNodeId?: SnailId;
  /** Aborted on stop, timeout and shutdown; `signal.reason` is `'stop'`, `'timeout'` or `'shutdown'`. */
  signal!: AbortSignal;

  /** The workflow context delivered with this dispatch. */
  readonly wfContext: Readonly<Record<string, unknown>> = {};
  /** Keys changed through {@link appendContext}; only these go up in the result report. */
  readonly changedWfContext: Record<string, unknown> = {};

  /** A workflow context value: changed in this task, else delivered with the dispatch. */
  getWfContext<T = unknown>(key: string): T | undefined {
    if (Object.prototype.hasOwnProperty.call(this.changedWfContext, key))
      return this.changedWfContext[key] as T;
    return this.wfContext[key] as T | undefined;
  }

  /** Records a workflow context change (ignored, like Java, for a blank key or an undefined/null value). */
  appendContext(key: string, value: unknown): void {
    if (typeof key !== 'string' || key.trim() === '' || value === undefined || value === null) return;
    this.changedWfContext[key] = value;
  }
}

/** Arguments of a sharding task: {@link JobArgs} with the shard position set. */
export class ShardingJobArgs<P = unknown> extends JobArgs<P> {
  declare shardingIndex: number;
  declare shardingTotal: number;
}

/** Arguments of a map task. */
export class MapArgs<P = unknown> extends JobArgs<P> {
  /** This task's name: `ROOT_MAP` or the name given to `doMap`. */
  taskName!: string;
  /** The element the server delivered for this sub-task (verbatim JSON value; `""` for the root). */
  mapResult: unknown;
  /**
   * Creates one child map task per element of `items`, named `nextTaskName`, and resolves with
   * `ExecuteResult.success()` once the server has accepted all of them.
   */
  doMap!: (items: readonly unknown[], nextTaskName: string) => Promise<ExecuteResult>;
}

/** Arguments of a reduce task. */
export class ReduceArgs<P = unknown> extends JobArgs<P> {
  /** Results of the map leaves of this chunk; each JSON-decoded when it is JSON text, else the raw string. */
  mapResult!: unknown[];
  /** The same results exactly as the server sent them (a list of strings). */
  rawMapResult!: string[];
}

/** Arguments of the merge task of a map-reduce job. */
export class MergeReduceArgs<P = unknown> extends JobArgs<P> {
  /** Results of the reduce tasks; each JSON-decoded when it is JSON text, else the raw string. */
  reduces!: unknown[];
  /** The same results exactly as the server sent them (a list of strings). */
  rawReduces!: string[];
}
