import { Injectable } from '@nestjs/common';
import { BatchStatus, TaskStatus, TaskType } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { JobEvents } from './job-events.js';
import type { OperationReason } from './job.enums.js';
import { type Batch, isBatchFinished } from './job.model.js';
import { JobStore } from './job.store.js';
import { MapReducePhases } from './map-reduce-phases.service.js';
import { StopSender } from './stop-sender.service.js';

/**
 * The batch completion check of docs/protocol.md §5.2: nothing happens while a task is RUNNING; otherwise the batch
 * becomes FAIL (any FAIL), STOP (any STOP) or SUCCESS — unless a MAP_REDUCE batch moves to its next phase.
 */
@Injectable()
export class BatchCompletion {
  constructor(
    private readonly store: JobStore,
    private readonly phases: MapReducePhases,
    private readonly stops: StopSender,
    private readonly events: JobEvents,
    private readonly logger: DevServerLogger,
  ) {}

  /** Runs the check; returns true when it closed the batch. */
  check(batch: Batch): boolean {
    if (isBatchFinished(batch.status)) return false;
    const tasks = this.store.tasksView(batch.id);
    if (tasks.length === 0) return false;
    // Skip the prefix already known to be finished: O(1) amortised per report instead of O(tasks).
    let i = batch.runningScanFrom ?? 0;
    while (i < tasks.length && tasks[i].status !== TaskStatus.RUNNING) i++;
    batch.runningScanFrom = i;
    if (i < tasks.length) return false;
    const failed = tasks.some((t) => t.status === TaskStatus.FAIL);
    const stopped = tasks.some((t) => t.status === TaskStatus.STOP);
    const job = this.store.job(batch.jobId);
    if (
      job &&
      batch.taskType === TaskType.MAP_REDUCE &&
      !failed &&
      !stopped &&
      this.phases.advance(job, batch, [...tasks])
    ) {
      return false;
    }
    this.close(batch, failed ? BatchStatus.FAIL : stopped ? BatchStatus.STOP : BatchStatus.SUCCESS);
    return true;
  }

  /**
   * Closes a batch. Non-CLUSTER batches get a clean-up stop for every task row, whatever the final status
   * (docs/protocol.md §4.2).
   */
  close(batch: Batch, status: BatchStatus, reason?: OperationReason): void {
    if (isBatchFinished(batch.status)) return;
    batch.status = status;
    batch.finishedAt = Date.now();
    if (reason !== undefined) batch.operationReason = reason;
    this.logger.log(
      `batch ${batch.id} (job ${batch.jobId}, ${TaskType[batch.taskType]}) → ${BatchStatus[status]}`,
    );
    if (batch.taskType !== TaskType.CLUSTER) {
      this.stops.send(batch, this.store.tasksOf(batch.id), 'clean-up after completion');
    }
    this.events.batchFinished.next(batch);
  }
}
