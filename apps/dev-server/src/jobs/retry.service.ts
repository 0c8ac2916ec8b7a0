import { Injectable } from '@nestjs/common';
import { BatchStatus, RetryScene, TaskStatus, TaskType } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { TimerService } from '../common/timer.service.js';
import type { NodeRecord } from '../registry/node.model.js';
import { NodeRegistry } from '../registry/node.registry.js';
import { NodeSelector, RouteKey } from '../registry/node-selector.service.js';
import { BatchTimeout } from './batch-timeout.service.js';
import { BatchTrigger } from './batch-trigger.service.js';
import { OperationReason } from './job.enums.js';
import { type Batch, isBatchFinished, type Job, type Task, taskNode } from './job.model.js';
import { JobStore } from './job.store.js';
import { TaskDispatcher } from './task-dispatcher.service.js';

/**
 * Retries (docs/protocol.md §5.13): automatic ones after `retryInterval` seconds while `retryCount < maxRetryTimes`,
 * manual ones immediately and without limit. Both re-dispatch the same task row with `retryStatus: true`.
 */
@Injectable()
export class RetryService {
  /** Tasks with a pending automatic retry (a quick duplicate FAIL only burns budget). */
  private readonly scheduled = new Set<bigint>();

  constructor(
    private readonly store: JobStore,
    private readonly registry: NodeRegistry,
    private readonly selector: NodeSelector,
    private readonly dispatcher: TaskDispatcher,
    private readonly timeout: BatchTimeout,
    private readonly trigger: BatchTrigger,
    private readonly timers: TimerService,
    private readonly logger: DevServerLogger,
  ) {}

  /** Schedules an automatic retry if the budget allows; returns false when the FAIL must be recorded. */
  tryAutomatic(task: Task): boolean {
    const job = this.store.job(task.jobId);
    const count = task.retryCount ?? 0;
    if (!job || count >= job.maxRetryTimes) return false;
    task.retryCount = count + 1;
    if (this.scheduled.has(task.id)) return true;
    this.scheduled.add(task.id);
    this.logger.log(
      `task ${task.id} failed: retry ${task.retryCount}/${job.maxRetryTimes} in ${job.retryInterval} s`,
    );
    this.timers.after(job.retryInterval * 1000, () => {
      this.scheduled.delete(task.id);
      this.redispatch(job, task, RetryScene.AUTO);
    });
    return true;
  }

  /** A manual retry of one task: immediate, `retryScene: 2`, no budget check. */
  manualRetry(task: Task): void {
    const job = this.store.job(task.jobId);
    if (!job) return;
    task.retryCount = (task.retryCount ?? 0) + 1;
    this.redispatch(job, task, RetryScene.MANUAL);
  }

  /**
   * The console's "retry" on a FAIL/STOP/CANCEL batch: every task not RUNNING/SUCCESS is retried manually; a
   * batch without tasks gets them generated and dispatched.
   */
  retryBatch(batch: Batch): boolean {
    if (!isBatchFinished(batch.status) || batch.status === BatchStatus.SUCCESS) return false;
    const job = this.store.job(batch.jobId);
    if (!job) return false;
    if (this.store.tasksOf(batch.id).length === 0) {
      // no task rows (e.g. CANCEL for want of a client): they are generated now (JobHandler.retry)
      this.trigger.regenerate(job, batch);
      return true;
    }
    batch.status = BatchStatus.RUNNING;
    batch.finishedAt = undefined;
    batch.operationReason = OperationReason.NONE;
    this.timeout.arm(batch, job.executorTimeout);
    for (const task of this.store.tasksOf(batch.id)) {
      if (task.status !== TaskStatus.RUNNING && task.status !== TaskStatus.SUCCESS) this.manualRetry(task);
    }
    return true;
  }

  private redispatch(job: Job, task: Task, scene: RetryScene): void {
    const batch = this.store.batch(task.batchId);
    if (!batch) return;
    const node = this.retryNode(job, batch, task);
    if (node) task.node = taskNode(node);
    this.store.markRunning(task);
    task.updatedAt = Date.now();
    void this.dispatcher.dispatch(task, { retryScene: scene });
  }

  /** Retry node per task type (docs/protocol.md §5.3). */
  private retryNode(job: Job, batch: Batch, task: Task): NodeRecord | undefined {
    const candidates = () => this.selector.candidates(batch.namespaceId, batch.groupName, job.labels);
    switch (batch.taskType) {
      case TaskType.CLUSTER:
        return this.selector.pick(job.routeKey, String(job.id), candidates());
      case TaskType.BROADCAST: {
        const same = task.node ? this.registry.get(task.node.key) : undefined;
        if (same?.alive) return same;
        const used = new Set(this.store.tasksOf(batch.id).map((t) => t.node?.key));
        return this.registry.alive(batch.namespaceId, batch.groupName).find((n) => !used.has(n.key));
      }
      default:
        return this.selector.pick(RouteKey.RANDOM, String(job.id), candidates());
    }
  }
}
