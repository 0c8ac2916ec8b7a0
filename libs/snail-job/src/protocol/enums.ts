/** `taskType` on the wire. */
export enum TaskType {
  CLUSTER = 1,
  BROADCAST = 2,
  SHARDING = 3,
  MAP = 4,
  MAP_REDUCE = 5,
}

/** `taskStatus` of a task (there is no 0 or 1). */
export enum TaskStatus {
  RUNNING = 2,
  SUCCESS = 3,
  FAIL = 4,
  STOP = 5,
  CANCEL = 6,
}

/** Status of a task batch. */
export enum BatchStatus {
  WAITING = 1,
  RUNNING = 2,
  SUCCESS = 3,
  FAIL = 4,
  STOP = 5,
  CANCEL = 6,
}

/** `mrStage` of MAP / MAP_REDUCE tasks. */
export enum MapReduceStage {
  MAP = 1,
  REDUCE = 2,
  MERGE_REDUCE = 3,
}

/** `executorType` values the console knows. */
export enum ExecutorType {
  JAVA = 1,
  PYTHON = 2,
  GO = 3,
}

/** `retryScene` of a retried dispatch. */
export enum RetryScene {
  AUTO = 1,
  MANUAL = 2,
}

/** Yes/no status of `GrpcResult.status` and `executeResult.status`. */
export enum StatusFlag {
  NO = 0,
  YES = 1,
}

/** Reserved task names. */
export const TaskName = {
  CLUSTER: 'CLUSTER_TASK',
  BROADCAST: 'BROADCAST_TASK',
  SHARDING: 'SHARDING_TASK',
  ROOT_MAP: 'ROOT_MAP',
  REDUCE: 'REDUCE_TASK',
  MERGE_REDUCE: 'MERGE_REDUCE_TASK',
} as const;
