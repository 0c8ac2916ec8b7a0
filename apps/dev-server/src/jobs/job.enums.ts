/** Why a batch ended the way it did (`JobOperationReasonEnum`, docs/protocol.md §5.1). */
export enum OperationReason {
  NONE = 0,
  TASK_EXECUTION_TIMEOUT = 1,
  NOT_CLIENT = 2,
  JOB_CLOSED = 3,
  JOB_DISCARD = 4,
  JOB_OVERLAY = 5,
  NOT_EXECUTION_TASK = 6,
  TASK_EXECUTION_ERROR = 7,
  MANNER_STOP = 8,
  WORKFLOW_CONDITION_NODE_EXECUTION_ERROR = 9,
  JOB_TASK_INTERRUPTED = 10,
  WORKFLOW_CALLBACK_NODE_EXECUTION_ERROR = 11,
  WORKFLOW_NODE_NO_REQUIRED = 12,
  WORKFLOW_NODE_CLOSED_SKIP_EXECUTION = 13,
  WORKFLOW_DECISION_FAILED = 14,
}

/** What a trigger does while the previous batch of the job still runs (docs/protocol.md §5.14). */
export enum BlockStrategy {
  DISCARD = 1,
  OVERLAY = 2,
  CONCURRENCY = 3,
  RECOVERY = 4,
}

/** What a failed workflow node means for its successors (docs/protocol.md §5.10). */
export enum FailStrategy {
  SKIP = 1,
  BLOCK = 2,
}
