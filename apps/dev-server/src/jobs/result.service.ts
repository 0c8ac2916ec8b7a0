import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RetryScene, TaskStatus } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { BatchCompletion } from './batch-completion.service.js';
import { type DispatchProblem, JobEvents } from './job-events.js';
import { resultText } from './job-args.js';
import { isBatchFinished, type Task } from './job.model.js';
import { JobStore } from './job.store.js';
import { RetryService } from './retry.service.js';

/** A task outcome, from a client report or a refused dispatch. */
export interface TaskOutcome {
  taskStatus: TaskStatus;
  /** `executeResult`; `undefined`/`null` is only acceptable when the outcome turns into a retry. */
  executeResult?: { message?: string; result?: unknown } | null;
  /** Changed workflow-context keys (JSON object text). */
  wfContext?: string;
  /** `retryStatus || retry` of the report. */
  retryTraffic: boolean;
  retryScene?: number;
}

/**
 * The result path of docs/protocol.md §6.3: retry decision (§5.13, including the manual-retry rule), unconditional
 * row update, non-leaf map tasks stop there, the "batch already completed" shortcut, completion check.
 */
@Injectable()
export class ResultService implements OnModuleInit {
  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly store: JobStore,
    private readonly retries: RetryService,
    private readonly completion: BatchCompletion,
    private readonly events: JobEvents,
    private readonly logger: DevServerLogger,
  ) {}

  onModuleInit(): void {
    this.events.dispatchRefused.subscribe((p) => this.safely(p, () => this.apply(p.task, this.refusal(p))));
    this.events.dispatchFailed.subscribe((p) => this.safely(p, () => this.recordFailure(p.task, p.message)));
  }

  /** Applies an outcome. Throws (→ status 0) for a report the Java server could not process. */
  apply(task: Task, outcome: TaskOutcome): void {
    if (outcome.retryScene === RetryScene.MANUAL && !outcome.retryTraffic) {
      // "retryScene 2 without retryStatus" is the console's manual-retry request: re-dispatch at once.
      this.logger.warn(`task ${task.id}: report with retryScene 2 but no retryStatus → manual retry`);
      this.retries.manualRetry(task);
      return;
    }
    if (outcome.taskStatus === TaskStatus.FAIL && this.retries.tryAutomatic(task)) return;
    if (!outcome.executeResult) throw new Error('Cannot read field "result" because "executeResult" is null');
    if (outcome.taskStatus === TaskStatus.RUNNING) this.store.markRunning(task);
    else task.status = outcome.taskStatus;
    task.message = outcome.executeResult.message;
    task.updatedAt = Date.now();
    if (outcome.wfContext !== undefined) task.wfContext = outcome.wfContext;
    const text = resultText(outcome.executeResult.result);
    if (text !== undefined) task.result = text;
    this.logger.log(`report task ${task.id} ${task.taskName} → ${TaskStatus[task.status] ?? task.status}`);
    if (!task.leaf && !this.options.lenientMapCompletion) return;
    const batch = this.store.batch(task.batchId);
    if (!batch || (!outcome.retryTraffic && isBatchFinished(batch.status))) return;
    this.completion.check(batch);
  }

  /** A FAIL written directly (undeliverable dispatch): no retry decision. */
  recordFailure(task: Task, message: string): void {
    task.status = TaskStatus.FAIL;
    task.message = message;
    task.updatedAt = Date.now();
    const batch = this.store.batch(task.batchId);
    if (batch) this.completion.check(batch);
  }

  private refusal(p: DispatchProblem): TaskOutcome {
    return {
      taskStatus: TaskStatus.FAIL,
      executeResult: { message: p.message },
      retryTraffic: p.retryStatus,
      retryScene: p.retryScene,
    };
  }

  private safely(p: DispatchProblem, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.logger.error(`task ${p.task.id}: ${String(e)}`);
    }
  }
}
