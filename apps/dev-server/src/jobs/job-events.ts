import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { Batch, Task } from './job.model.js';

/** A dispatch that did not end with "accepted". */
export interface DispatchProblem {
  task: Task;
  message: string;
  /** The dispatch was itself a retry (`retryStatus` true) with this scene. */
  retryStatus: boolean;
  retryScene?: number;
}

/**
 * Internal events that decouple the state machine's parts (dispatch → result path → completion →
 * workflows) without circular dependencies.
 */
@Injectable()
export class JobEvents {
  /** The client replied to a dispatch with a refusal: a FAIL that goes through the result path (may retry). */
  readonly dispatchRefused = new Subject<DispatchProblem>();
  /** The dispatch could not be delivered (no node, transport error): FAIL recorded directly, no retry. */
  readonly dispatchFailed = new Subject<DispatchProblem>();
  /** A job batch reached a terminal status. */
  readonly batchFinished = new Subject<Batch>();
  /** A workflow batch reached a terminal status (its id). */
  readonly workflowFinished = new Subject<bigint>();
}
