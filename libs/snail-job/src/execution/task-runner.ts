import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { SnailJobInstrumentation, type TaskOutcome } from '../instrument/snail-job-instrumentation.js';
import { formatThrowable } from '../logging/log-format.js';
import { LogReporter } from '../logging/log-reporter.js';
import { TaskType } from '../protocol/enums.js';
import type { DispatchJobRequest, StopJobRequest } from '../protocol/payloads.js';
import { MapTaskReporter } from '../reporting/map-task-reporter.js';
import { ResultReporter } from '../reporting/result-reporter.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import {
  AT_CAPACITY,
  SHUTDOWN_ABORTED,
  SHUTDOWN_DRAINING,
  SHUTTING_DOWN,
  TASK_FAILED_LINE,
  TASK_RETRY_LINE,
  TASK_ABORTED,
  TASK_ABORTED_BY_SHUTDOWN,
  TASK_CRASHED,
  TASK_DUPLICATE,
  TASK_FAILED,
  UNKNOWN_EXECUTOR,
} from '../snail-job.messages.js';
import type { InboundReply } from '../transport/snail-job.transport.js';
import { ActiveExecutors } from '../diagnostics/active-executors.js';
import { RecentTasks } from '../diagnostics/recent-tasks.js';
import type { AbortReason } from '../job/abort-reasons.js';
import { AdmissionControl } from './admission-control.js';
import { buildArgs } from './args-factory.js';
import { BoundedSet } from '../common/bounded-set.js';
import { deliveryKey, validateDispatch } from './dispatch-request.js';
import { ExecuteResult } from '../job/execute-result.js';
import type { JobArgs } from '../job/job-args.js';
import { resolveHandler } from './handler-resolution.js';
import { buildResultReport, resultReport, toExecuteResult, toWireExecuteResult } from './result-mapping.js';
import { parentSettled, sendThroughParentGate } from './parent-report-gate.js';
import { taskContextStorage } from '../logging/task-context.js';
import { BatchState, TaskExecution } from './task-execution.js';

const ACCEPTED: InboundReply = { status: 1, data: true };
/** Most finished non-cluster batches kept for their batch timeout (the oldest are forgotten first). */
const MAX_IDLE_BATCHES = 10_000;
/** Longest delay Node timers support; a longer executorTimeout means no local timeout. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Accepts dispatches, runs them (per-batch `parallelNum`, then the global and per-executor caps of
 * {@link AdmissionControl}), aborts them on stop / timeout / shutdown and hands results to the reporter. Replies
 * to the server never wait for user code; past `maxQueuedTasks` waiting tasks a dispatch is refused.
 */
@Injectable()
export class TaskRunner implements ActiveExecutors {
  private readonly logger = new Logger('SnailJob');
  private readonly batches = new Map<string, BatchState>();
  private readonly active = new Map<string, TaskExecution>();
  private readonly finished = new BoundedSet(20_000);
  /** Handlers that were aborted but have not returned yet (JavaScript cannot pre-empt them). */
  private readonly abandoned = new Set<TaskExecution>();
  /** Finished batches kept only for their timeout timer, oldest first. */
  private readonly idleBatches = new Set<BatchState>();
  private readonly admission: AdmissionControl;
  private readonly recent = new RecentTasks();
  private idleWaiters: (() => void)[] = [];
  private running = 0;
  private queued = 0;
  private accepting = true;

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly registry: ExecutorRegistry,
    private readonly reporter: ResultReporter,
    private readonly mapReporter: MapTaskReporter,
    private readonly instrumentation: SnailJobInstrumentation,
    private readonly logs: LogReporter,
  ) {
    this.admission = new AdmissionControl(options.maxConcurrentTasks, options.maxConcurrentPerExecutor);
  }

  /** `/job/dispatch/v1`: validate, de-duplicate, route, queue; answer at once. */
  dispatch(args: unknown[]): InboundReply {
    const validation = validateDispatch(args[0]);
    if (!validation.ok) {
      this.instrumentation.dispatch('(invalid)', false, 'invalid');
      return { status: 0, message: validation.message };
    }
    const request = validation.request;
    const key = deliveryKey(request);
    if (this.active.has(key) || this.finished.has(key)) {
      this.logger.debug?.(TASK_DUPLICATE(String(request.taskId), this.active.has(key)));
      this.instrumentation.dispatch(request.executorInfo, true, 'duplicate');
      return ACCEPTED;
    }
    if (!this.accepting) {
      this.instrumentation.dispatch(request.executorInfo, false, 'shutdown');
      return { status: 1, data: false, message: SHUTTING_DOWN };
    }
    const executor = this.registry.get(request.executorInfo);
    if (!executor) {
      this.instrumentation.dispatch('(unknown)', false, 'unknown_executor');
      return {
        status: 1,
        data: false,
        message: UNKNOWN_EXECUTOR(
          request.executorInfo,
          this.registry.names(),
          this.registry.closest(request.executorInfo),
        ),
      };
    }
    const resolved = resolveHandler(executor, request);
    if (typeof resolved === 'string') {
      this.instrumentation.dispatch(executor.name, false, 'misconfigured');
      return { status: 1, data: false, message: resolved };
    }
    const batchKey = String(request.taskBatchId);
    if (this.queued >= this.options.maxQueuedTasks && !this.canStartNow(batchKey, executor.name, request)) {
      this.instrumentation.dispatch(executor.name, false, 'queue_full');
      return {
        status: 1,
        data: false,
        message: AT_CAPACITY(
          this.queued,
          this.options.maxQueuedTasks,
          this.admission.running,
          this.options.maxConcurrentTasks,
          this.abandoned.size,
          executor.name,
          this.admission.limitOf(executor.name),
        ),
      };
    }
    this.enqueue(new TaskExecution(request, executor.name, resolved, key, batchKey));
    this.instrumentation.dispatch(executor.name, true, 'accepted');
    return ACCEPTED;
  }

  /** `/job/stop/v1`: abort every local task of the batch. Idempotent; always answered `true`. */
  stop(args: unknown[]): InboundReply {
    const arg = args[0] as Partial<StopJobRequest> | undefined;
    if (arg && typeof arg === 'object' && arg.taskBatchId !== undefined && arg.taskBatchId !== null) {
      this.abortBatch(String(arg.taskBatchId), 'stop');
    }
    return { status: 1, data: true };
  }

  /** Number of tasks running / queued / batches tracked (for health, metrics and tests). */
  stats(): { running: number; queued: number; batches: number; abandoned: number } {
    return {
      running: this.running,
      queued: this.queued,
      batches: this.batches.size,
      abandoned: this.abandoned.size,
    };
  }

  /**
   * Executors of the tasks that were running at some point between the two `performance.now()` times
   * (running now, aborted but not returned, or finished recently). Used to name the culprit of a stall.
   */
  executorsActiveBetween(from: number, to: number): string[] {
    const names = new Set(this.recent.overlapping(from, to));
    for (const task of this.active.values()) {
      if (task.state === 'running' && task.startedAt <= to) names.add(task.executorName);
    }
    for (const task of this.abandoned) names.add(task.executorName);
    return [...names].sort();
  }

  /**
   * Stops accepting dispatches and hands tasks that have not started back to the server at once (reported as
   * failed), waits up to `graceMs` for running tasks, then aborts the rest (reason `shutdown`) and reports them
   * as failed so the server can retry them elsewhere.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    let handedBack = 0;
    for (const task of [...this.active.values()]) {
      const batch = this.batches.get(task.batchKey);
      if (batch && (task.state === 'queued' || task.state === 'waiting')) {
        this.abortTask(task, batch, 'shutdown');
        handedBack++;
      }
    }
    this.reportConcurrency();
    if (handedBack > 0 || this.running > 0) {
      this.logger.log(SHUTDOWN_DRAINING(handedBack, this.running, graceMs));
    }
    await this.whenIdle(graceMs);
    const left = this.running;
    for (const key of [...this.batches.keys()]) this.abortBatch(key, 'shutdown');
    if (left > 0) this.logger.warn(SHUTDOWN_ABORTED(left, graceMs));
  }

  /** Resolves once no task runs, or after `timeoutMs`. */
  private whenIdle(timeoutMs: number): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Whether a dispatch would start at once (no queue): its batch has a free slot and a global slot is free. */
  private canStartNow(batchKey: string, executor: string, request: DispatchJobRequest): boolean {
    const batch = this.batches.get(batchKey);
    const batchHasRoom =
      !batch || (batch.queue.size === 0 && batch.running < Math.max(batch.parallelNum, request.parallelNum));
    return batchHasRoom && this.admission.wouldGrant(executor);
  }

  private enqueue(task: TaskExecution): void {
    let batch = this.batches.get(task.batchKey);
    if (!batch) {
      batch = new BatchState(task.batchKey, task.request.taskType, Math.max(1, task.request.parallelNum));
      this.batches.set(task.batchKey, batch);
      this.armTimeout(batch, task.request.executorTimeout);
    } else {
      batch.parallelNum = Math.max(batch.parallelNum, task.request.parallelNum);
      this.idleBatches.delete(batch);
    }
    batch.tasks.add(task);
    task.queueNode = batch.queue.push(task);
    this.active.set(task.key, task);
    this.queued++;
    this.pump(batch);
  }

  private armTimeout(batch: BatchState, executorTimeoutSeconds: number): void {
    const ms = executorTimeoutSeconds * 1000;
    if (!(ms > 0) || ms > MAX_TIMER_MS) return;
    batch.timer = setTimeout(() => this.abortBatch(batch.key, 'timeout'), ms);
    batch.timer.unref();
  }

  /**
   * Moves queued tasks of `batch` on while it has `parallelNum` slots; each then asks for a global / executor
   * slot. Slots are counted at once, so caps hold even for a burst of dispatches in one tick.
   */
  private pump(batch: BatchState): void {
    if (this.batches.get(batch.key) !== batch) return;
    while (batch.running < batch.parallelNum && batch.queue.size > 0) {
      const task = batch.queue.shift()!;
      task.queueNode = undefined;
      task.state = 'waiting';
      batch.running++;
      task.ticket = this.admission.acquire(task.executorName, () => this.start(task, batch));
      if (!task.ticket) this.start(task, batch);
    }
    this.reportConcurrency();
  }

  /** The task has all its slots; its handler runs on the next turn, after the dispatch reply is sent. */
  private start(task: TaskExecution, batch: BatchState): void {
    task.ticket = undefined;
    task.state = 'running';
    task.startedAt = performance.now();
    this.queued--;
    this.running++;
    this.instrumentation.taskStarted(task.executorName);
    setImmediate(() => {
      this.run(task, batch).catch((error: unknown) =>
        this.logger.error(TASK_CRASHED(String(task.request.taskId), task.executorName, String(error))),
      );
    });
  }

  private async run(task: TaskExecution, batch: BatchState): Promise<void> {
    if (task.state === 'aborted') {
      // Stopped before its handler began.
      this.abandoned.delete(task);
      this.admission.release(task.executorName);
      return;
    }
    const log = this.logs.openTask(task.request, task.executorName, task.handler);
    const retryCount = task.request.retryCount ?? 0;
    if (retryCount > 0) log.write('INFO', TASK_RETRY_LINE(retryCount));
    const context = {
      request: task.request,
      executorName: task.executorName,
      className: task.handler.className,
      methodName: task.handler.methodName,
      log,
    };
    let args: JobArgs | undefined;
    let outcome: { value: unknown } | { error: unknown };
    try {
      const taskArgs = buildArgs(task.request, task.controller.signal, (a, items, next) => {
        if (!task.mapParent) {
          task.mapParent = true;
          batch.openParents++;
        }
        return this.mapReporter.doMap(task.request, a, items, next);
      });
      args = taskArgs;
      outcome = { value: await taskContextStorage.run(context, () => task.handler.invoke(taskArgs)) };
    } catch (error) {
      outcome = { error };
    }
    this.logs.taskEnded();
    const endedAt = performance.now();
    const durationMs = endedAt - task.startedAt;
    this.recent.add({ executor: task.executorName, startedAt: task.startedAt, endedAt });
    if ((task.state as TaskExecution['state']) === 'aborted') {
      this.abandoned.delete(task);
      this.admission.release(task.executorName);
      return;
    }
    task.state = 'done';
    const result = toExecuteResult(outcome);
    const wire = toWireExecuteResult(result);
    this.instrumentation.taskEnded(task.executorName, wire.status === 1 ? 'success' : 'failure', durationMs);
    if ('error' in outcome) {
      const error = outcome.error;
      log.write(
        'ERROR',
        TASK_FAILED_LINE(String(task.request.taskBatchId)),
        error instanceof Error ? formatThrowable(error) : String(error),
      );
      this.logger.warn(TASK_FAILED(String(task.request.taskId), task.executorName, wire.message));
    }
    // The report is queued before the slot is released, so a local child queued behind this parent
    // can never report first.
    sendThroughParentGate(this.reporter, task, batch, resultReport(task.request, wire, args));
    this.release(task, batch);
  }

  private release(task: TaskExecution, batch: BatchState): void {
    batch.running--;
    this.running--;
    batch.tasks.delete(task);
    this.active.delete(task.key);
    this.finished.add(task.key);
    this.admission.release(task.executorName);
    if (batch.idle) this.batchIdle(batch);
    else this.pump(batch);
    this.reportConcurrency();
    if (this.running === 0) this.notifyIdle();
  }

  /**
   * A batch without local tasks. A cluster batch is done; other batches may still get tasks (shards, map
   * children) that share its timeout, so they are kept while their timer runs, up to MAX_IDLE_BATCHES.
   */
  private batchIdle(batch: BatchState): void {
    if (batch.taskType === TaskType.CLUSTER || !batch.timer) {
      this.dropBatch(batch);
      return;
    }
    this.idleBatches.add(batch);
    if (this.idleBatches.size > MAX_IDLE_BATCHES) {
      this.dropBatch(this.idleBatches.values().next().value as BatchState);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private abortBatch(batchKey: string, reason: AbortReason): void {
    const batch = this.batches.get(batchKey);
    if (!batch) return;
    this.dropBatch(batch);
    for (const task of [...batch.tasks]) this.abortTask(task, batch, reason);
    this.reportConcurrency();
    if (this.running === 0) this.notifyIdle();
  }

  private abortTask(task: TaskExecution, batch: BatchState, reason: AbortReason): void {
    const state = task.state;
    if (state !== 'queued' && state !== 'waiting' && state !== 'running') return;
    task.controller.abort(reason);
    task.state = 'aborted';
    batch.tasks.delete(task);
    this.active.delete(task.key);
    this.finished.add(task.key);
    if (task.mapParent) parentSettled(this.reporter, batch);
    if (state === 'running') {
      batch.running--;
      this.running--;
      // The handler keeps its global / executor slot until it actually returns.
      this.abandoned.add(task);
      const outcome: TaskOutcome = reason;
      this.instrumentation.taskEnded(task.executorName, outcome, performance.now() - task.startedAt);
    } else {
      if (state === 'waiting') {
        if (task.ticket) this.admission.cancel(task.ticket);
        task.ticket = undefined;
        batch.running--;
      } else if (task.queueNode) {
        batch.queue.remove(task.queueNode);
        task.queueNode = undefined;
      }
      this.queued--;
    }
    if (state === 'running' || reason !== 'shutdown') {
      this.logger.log(TASK_ABORTED(String(task.request.taskId), task.executorName, reason));
    }
    if (reason === 'shutdown') {
      const failed = ExecuteResult.failure(undefined, TASK_ABORTED_BY_SHUTDOWN);
      this.reporter.enqueue(buildResultReport(task.request, toWireExecuteResult(failed), undefined));
    }
  }

  private dropBatch(batch: BatchState): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = undefined;
    this.idleBatches.delete(batch);
    if (this.batches.get(batch.key) === batch) this.batches.delete(batch.key);
  }

  private reportConcurrency(): void {
    this.instrumentation.concurrency(this.running, this.queued, this.batches.size);
  }
}
