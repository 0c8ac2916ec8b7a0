/**
 * Who ran what, when: the event-loop monitor asks it for the culprits of a stall. The task runner provides it
 * (the module binds this token to the runner), so diagnostics never depends on execution.
 */
export abstract class ActiveExecutors {
  /** Executors of the tasks running at some point between two `performance.now()` times. */
  abstract executorsActiveBetween(from: number, to: number): string[];
}
