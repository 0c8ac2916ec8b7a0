import { Injectable } from '@nestjs/common';
import { BatchStatus, TaskStatus } from 'nestjs-snail-job/protocol';
import { Messages } from '../dev-server.messages.js';
import { BatchCompletion } from './batch-completion.service.js';
import { OperationReason } from './job.enums.js';
import { type Batch, isBatchFinished, type Task } from './job.model.js';
import { JobStore } from './job.store.js';
import { StopSender } from './stop-sender.service.js';

/**
 * Server-side stops (docs/protocol.md §5.12). Forced stops (manual, timeout, workflow) cover every task row: stop
 * messages go to all rows' nodes and every non-SUCCESS row becomes STOP. OVERLAY covers RUNNING rows only.
 */
@Injectable()
export class BatchStopper {
  constructor(
    private readonly store: JobStore,
    private readonly stops: StopSender,
    private readonly completion: BatchCompletion,
  ) {}

  /** Forced stop; a no-op on a finished batch. */
  forceStop(batch: Batch, reason: OperationReason): void {
    if (isBatchFinished(batch.status)) return;
    const tasks = this.store.tasksOf(batch.id);
    this.stopTasks(batch, tasks, tasks, reason);
  }

  /** OVERLAY-style stop of the RUNNING rows only. */
  stopRunning(batch: Batch, reason: OperationReason): void {
    if (isBatchFinished(batch.status)) return;
    const running = this.store.tasksOf(batch.id).filter((t) => t.status === TaskStatus.RUNNING);
    this.stopTasks(batch, running, running, reason);
  }

  private stopTasks(batch: Batch, messaged: Task[], selected: Task[], reason: OperationReason): void {
    if (selected.length === 0) {
      // No rows at all (e.g. SHARDING with invalid args): the batch is set STOP directly.
      if (this.store.tasksOf(batch.id).length === 0) this.completion.close(batch, BatchStatus.STOP, reason);
      return;
    }
    this.stops.send(batch, messaged, OperationReason[reason]);
    const rewritten = selected.filter((t) => t.status !== TaskStatus.SUCCESS);
    if (rewritten.length === 0) return; // every row SUCCESS: nothing to rewrite, the batch stays as it is
    const now = Date.now();
    for (const task of rewritten) {
      task.status = TaskStatus.STOP;
      task.message = Messages.taskStopped;
      task.updatedAt = now;
    }
    batch.operationReason = reason;
    this.completion.check(batch);
  }
}
