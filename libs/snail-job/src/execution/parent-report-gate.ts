import type { DispatchJobResultRequest } from '../protocol/payloads.js';
import type { ResultReporter } from '../reporting/result-reporter.js';
import type { BatchState, TaskExecution } from './task-execution.js';

/**
 * Sends a task's report, keeping SnailJob's map-parent race closed on this node: if a parent (a task that called
 * doMap) reports after all its children, the server never completes the batch (docs/protocol.md §12, pitfall 18). So while a
 * parent of the batch has not had its own report confirmed, reports of the batch's other tasks are held.
 */
export function sendThroughParentGate(
  reporter: ResultReporter,
  task: TaskExecution,
  batch: BatchState,
  report: DispatchJobResultRequest,
): void {
  if (task.mapParent) {
    reporter.enqueue(report, () => parentSettled(reporter, batch));
  } else if (batch.openParents > 0) {
    batch.heldReports.push(report);
  } else {
    reporter.enqueue(report);
  }
}

/** A parent's report was confirmed or given up (or the parent was aborted): release the held reports. */
export function parentSettled(reporter: ResultReporter, batch: BatchState): void {
  batch.openParents = Math.max(0, batch.openParents - 1);
  if (batch.openParents > 0) return;
  for (const held of batch.heldReports.splice(0)) reporter.enqueue(held);
}
