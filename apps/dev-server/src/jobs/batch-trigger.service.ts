import { Injectable } from '@nestjs/common';
import { BatchStatus, TaskStatus, TaskType } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { IdGenerator } from '../common/id.generator.js';
import { BatchCompletion } from './batch-completion.service.js';
import { BatchStopper } from './batch-stopper.service.js';
import { BatchTimeout } from './batch-timeout.service.js';
import { BlockStrategy, OperationReason } from './job.enums.js';
import { type Batch, isBatchFinished, type Job } from './job.model.js';
import { JobStore } from './job.store.js';
import { TaskDispatcher } from './task-dispatcher.service.js';
import { TaskGenerator } from './task-generator.service.js';

/** Options of one trigger. */
export interface TriggerOptions {
  /** Replaces the job's args for this batch only. */
  tmpArgsStr?: string;
  /** Set when a workflow node runs the job (block strategies do not apply). */
  workflow?: { workflowTaskBatchId: bigint; workflowNodeId: bigint };
  /**
   * A manual trigger (console "execute", OpenAPI trigger: `JobTaskExecutorSceneEnum.MANUAL_JOB`): always opens a
   * new batch, without re-checking unfinished batches or applying the block strategy
   * (`AbstractJobService.doTrigger` → `TerminalJobPrepareHandler`).
   */
  manual?: boolean;
}

/**
 * Triggers a job (spec §5.2, §5.14): block strategy, batch row, task generation, timeout timer, dispatch.
 */
@Injectable()
export class BatchTrigger {
  constructor(
    private readonly ids: IdGenerator,
    private readonly store: JobStore,
    private readonly generator: TaskGenerator,
    private readonly dispatcher: TaskDispatcher,
    private readonly completion: BatchCompletion,
    private readonly stopper: BatchStopper,
    private readonly timeout: BatchTimeout,
    private readonly logger: DevServerLogger,
  ) {}

  /** Triggers `job` now and returns the batch (new, or the existing one for RECOVERY). */
  trigger(job: Job, options: TriggerOptions = {}): Batch {
    if (!options.workflow && !options.manual) {
      const blocked = this.applyBlockStrategy(job);
      if (blocked) return blocked;
    }
    const batch = this.newBatch(job, options.tmpArgsStr ?? job.argsStr, options.workflow);
    this.logger.log(`trigger job ${job.id} (${job.jobName}, ${TaskType[job.taskType]}) → batch ${batch.id}`);
    this.start(job, batch);
    return batch;
  }

  /** A new WAITING batch of `job` (the `sj_job_task_batch` row a trigger creates). */
  private newBatch(
    job: Job,
    argsStr: string | undefined,
    workflow?: { workflowTaskBatchId: bigint; workflowNodeId: bigint },
  ): Batch {
    return this.store.addBatch({
      id: this.ids.take(),
      jobId: job.id,
      namespaceId: job.namespaceId,
      groupName: job.groupName,
      taskType: job.taskType,
      status: BatchStatus.WAITING,
      operationReason: OperationReason.NONE,
      argsStr,
      workflowTaskBatchId: workflow?.workflowTaskBatchId,
      workflowNodeId: workflow?.workflowNodeId,
      createdAt: Date.now(),
    });
  }

  private start(job: Job, batch: Batch): void {
    const nodes = this.generator.candidates(job, batch);
    if (nodes.length === 0) {
      this.logger.warn(
        `batch ${batch.id}: no live client matches group ${job.groupName} and the job's labels`,
      );
      this.completion.close(batch, BatchStatus.CANCEL, OperationReason.NOT_CLIENT);
      return;
    }
    batch.status = BatchStatus.RUNNING;
    const { tasks, sharding } = this.generator.generate(job, batch, nodes);
    this.timeout.arm(batch, job.executorTimeout);
    tasks.forEach((task, index) => {
      if (task.status !== TaskStatus.RUNNING) return;
      void this.dispatcher.dispatch(task, sharding ? { sharding: { index, total: tasks.length } } : {});
    });
  }

  /** Returns the batch that answers this trigger when the strategy does not start a new one. */
  private applyBlockStrategy(job: Job): Batch | undefined {
    const open = this.store
      .allBatches(job.id)
      .filter((b) => !isBatchFinished(b.status) && !b.workflowTaskBatchId);
    for (const b of open) this.completion.check(b);
    const running = open.filter((b) => !isBatchFinished(b.status));
    if (running.length === 0) return undefined;
    switch (job.blockStrategy) {
      case BlockStrategy.DISCARD: {
        const discarded = this.newBatch(job, job.argsStr);
        this.logger.log(
          `trigger job ${job.id}: batch ${running[0].id} still running → discarded (batch ${discarded.id})`,
        );
        this.completion.close(discarded, BatchStatus.CANCEL, OperationReason.JOB_DISCARD);
        return discarded;
      }
      case BlockStrategy.OVERLAY:
        for (const b of running) this.stopper.stopRunning(b, OperationReason.JOB_OVERLAY);
        return undefined;
      case BlockStrategy.RECOVERY:
        return this.recover(running[running.length - 1]);
      default:
        return undefined;
    }
  }

  /** RECOVERY: FAIL/STOP tasks of the running batch are dispatched again as ordinary dispatches. */
  private recover(batch: Batch): Batch {
    const again = this.store
      .tasksOf(batch.id)
      .filter((t) => t.status === TaskStatus.FAIL || t.status === TaskStatus.STOP);
    again.forEach((task, index) => {
      this.store.markRunning(task);
      task.updatedAt = Date.now();
      const sharding = batch.taskType === TaskType.SHARDING ? { index, total: again.length } : undefined;
      void this.dispatcher.dispatch(task, { sharding });
    });
    return batch;
  }
}
