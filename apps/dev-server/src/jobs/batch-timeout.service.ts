import { Injectable } from '@nestjs/common';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { TimerService } from '../common/timer.service.js';
import { BatchStopper } from './batch-stopper.service.js';
import { OperationReason } from './job.enums.js';
import { type Batch, isBatchFinished } from './job.model.js';

/**
 * The batch timeout timer of docs/protocol.md §5.11: `executorTimeout × 1000 + 500 ms` after the batch turns RUNNING,
 * an unfinished batch is force-stopped (reason TASK_EXECUTION_TIMEOUT). Like the Java server, a timer is
 * never cancelled and registrations are de-duplicated per batch while one is pending (so a manual retry
 * soon after a failure keeps the original deadline).
 */
@Injectable()
export class BatchTimeout {
  private readonly pending = new Set<bigint>();

  constructor(
    private readonly timers: TimerService,
    private readonly stopper: BatchStopper,
    private readonly logger: DevServerLogger,
  ) {}

  arm(batch: Batch, executorTimeoutSeconds: number): void {
    if (this.pending.has(batch.id)) return;
    this.pending.add(batch.id);
    this.timers.after(executorTimeoutSeconds * 1000 + 500, () => {
      this.pending.delete(batch.id);
      if (isBatchFinished(batch.status)) return;
      this.logger.warn(`batch ${batch.id} timed out after ${executorTimeoutSeconds} s: stopping it`);
      this.stopper.forceStop(batch, OperationReason.TASK_EXECUTION_TIMEOUT);
    });
  }
}
