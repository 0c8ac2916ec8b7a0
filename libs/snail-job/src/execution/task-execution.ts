import type { BoundHandler } from '../discovery/executor-definition.js';
import type { DispatchJobRequest, DispatchJobResultRequest } from '../protocol/payloads.js';
import type { AbortReason } from '../job/abort-reasons.js';
import type { AdmissionTicket } from './admission-control.js';
import { LinkedQueue, type QueueNode } from '../common/linked-queue.js';

/**
 * Lifecycle of one accepted dispatch: `queued` waits for a `parallelNum` slot of its batch, `waiting` holds one
 * and waits for a global / per-executor slot, then `running`, and finally `done` or `aborted`.
 */
export type ExecutionState = 'queued' | 'waiting' | 'running' | 'done' | 'aborted';

/** One accepted dispatch on its way through the runner. */
export class TaskExecution {
  state: ExecutionState = 'queued';
  readonly controller = new AbortController();
  readonly receivedAt = performance.now();
  startedAt = 0;
  /** True once the handler called `doMap`: the server now counts this task as a non-leaf parent. */
  mapParent = false;
  /** Position in the batch queue while `queued`. */
  queueNode: QueueNode<TaskExecution> | undefined;
  /** Pending request for a slot while `waiting`. */
  ticket: AdmissionTicket | undefined;

  constructor(
    readonly request: DispatchJobRequest,
    readonly executorName: string,
    readonly handler: BoundHandler,
    readonly key: string,
    readonly batchKey: string,
  ) {}

  get abortReason(): AbortReason | undefined {
    return this.controller.signal.aborted ? (this.controller.signal.reason as AbortReason) : undefined;
  }
}

/** Local state of one task batch: its `parallelNum` slots, queue and timeout. */
export class BatchState {
  running = 0;
  readonly queue = new LinkedQueue<TaskExecution>();
  readonly tasks = new Set<TaskExecution>();
  timer: NodeJS.Timeout | undefined;
  /** Map parents of this batch whose own result report is not confirmed yet. */
  openParents = 0;
  /** Reports of other tasks of this batch held back until the open parents' reports are confirmed. */
  readonly heldReports: DispatchJobResultRequest[] = [];

  constructor(
    readonly key: string,
    readonly taskType: number,
    public parallelNum: number,
  ) {}

  get idle(): boolean {
    return this.tasks.size === 0;
  }
}
