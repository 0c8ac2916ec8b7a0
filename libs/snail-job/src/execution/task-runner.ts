import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import type { BoundHandler, ExecutorDefinition } from '../discovery/executor-definition.js';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { SnailJobInstrumentation, type TaskOutcome } from '../instrument/snail-job-instrumentation.js';
import { formatThrowable } from '../logging/log-format.js';
import { LogReporter } from '../logging/log-reporter.js';
import { TaskType } from '../protocol/enums.js';
import type { DispatchJobRequest, DispatchJobResultRequest, StopJobRequest } from '../protocol/payloads.js';
import { MapTaskReporter } from '../reporting/map-task-reporter.js';
import { ResultReporter } from '../reporting/result-reporter.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import {
  SHUTTING_DOWN,
  TASK_FAILED_LINE,
  TASK_RETRY_LINE,
  UNKNOWN_EXECUTOR,
  WRONG_EXECUTOR_KIND,
} from '../snail-job.messages.js';
import type { InboundReply } from '../transport/snail-job.transport.js';
import type { AbortReason } from './abort-reasons.js';
import { buildArgs, mapTaskName, stageOf } from './args-factory.js';
import { BoundedSet } from './bounded-set.js';
import { deliveryKey, validateDispatch } from './dispatch-request.js';
import { ExecuteResult } from './execute-result.js';
import { buildResultReport, toExecuteResult, toWireExecuteResult } from './result-mapping.js';
import { taskContextStorage } from './task-context.js';
import { BatchState, TaskExecution } from './task-execution.js';

const ACCEPTED: InboundReply = { status: 1, data: true };

/**
 * Accepts dispatches, runs them (per-batch `parallelNum`), aborts them on stop / timeout / shutdown and hands
 * results to the reporter. Replies to the server never wait for user code.
 */
@Injectable()
export class TaskRunner {
  private readonly logger = new Logger('SnailJob');
  private readonly batches = new Map<string, BatchState>();
  private readonly active = new Map<string, TaskExecution>();
  private readonly finished = new BoundedSet(20_000);
  /** Handlers that were aborted but have not returned yet (JavaScript cannot pre-empt them). */
  private readonly abandoned = new Set<TaskExecution>();
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
  ) {}

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
      this.logger.debug?.(
        `Duplicate delivery of task ${String(request.taskId)} ignored (already ${this.active.has(key) ? 'running' : 'done'})`,
      );
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
    this.enqueue(new TaskExecution(request, executor.name, resolved, key, String(request.taskBatchId)));
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
   * Stops accepting dispatches, waits up to `graceMs` for running tasks, then aborts the rest (reason
   * `shutdown`) and reports them as failed so the server can retry them elsewhere.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
    for (const key of [...this.batches.keys()]) this.abortBatch(key, 'shutdown');
  }

  private enqueue(task: TaskExecution): void {
    let batch = this.batches.get(task.batchKey);
    if (!batch) {
      batch = new BatchState(task.batchKey, task.request.taskType, Math.max(1, task.request.parallelNum));
      this.batches.set(task.batchKey, batch);
      this.armTimeout(batch, task.request.executorTimeout);
    } else {
      batch.parallelNum = Math.max(batch.parallelNum, task.request.parallelNum);
    }
    batch.tasks.add(task);
    batch.queue.push(task);
    this.active.set(task.key, task);
    this.queued++;
    setImmediate(() => this.pump(batch));
    this.reportConcurrency();
  }

  private armTimeout(batch: BatchState, executorTimeoutSeconds: number): void {
    if (!(executorTimeoutSeconds > 0)) return;
    batch.timer = setTimeout(() => this.abortBatch(batch.key, 'timeout'), executorTimeoutSeconds * 1000);
    batch.timer.unref();
  }

  private pump(batch: BatchState): void {
    while (batch.running < batch.parallelNum && batch.queue.length > 0) {
      const task = batch.queue.shift()!;
      this.queued--;
      batch.running++;
      this.running++;
      void this.run(task, batch);
    }
    this.reportConcurrency();
  }

  private async run(task: TaskExecution, batch: BatchState): Promise<void> {
    task.state = 'running';
    task.startedAt = performance.now();
    this.instrumentation.taskStarted(task.executorName);
    const args = buildArgs(task.request, task.controller.signal, (a, items, next) => {
      if (!task.mapParent) {
        task.mapParent = true;
        batch.openParents++;
      }
      return this.mapReporter.doMap(task.request, a, items, next);
    });
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
    let outcome: { value: unknown } | { error: unknown };
    try {
      outcome = { value: await taskContextStorage.run(context, () => task.handler.invoke(args)) };
    } catch (error) {
      outcome = { error };
    }
    this.logs.taskEnded();
    const durationMs = performance.now() - task.startedAt;
    if ((task.state as TaskExecution['state']) === 'aborted') {
      this.abandoned.delete(task);
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
      this.logger.warn(`Task ${String(task.request.taskId)} (${task.executorName}) failed: ${wire.message}`);
    }
    // The report is queued before the slot is released, so a local child queued behind this parent
    // can never report first.
    this.report(task, batch, buildResultReport(task.request, wire, args.changedWfContext));
    this.release(task, batch);
  }

  /**
   * Sends a report, keeping SnailJob's map-parent race closed on this node: if a parent (a task that called
   * doMap) reports after all its children, the server never completes the batch (spec pitfall 18). So while a
   * parent of the batch has not had its own report confirmed, reports of the batch's other tasks are held.
   */
  private report(task: TaskExecution, batch: BatchState, report: DispatchJobResultRequest): void {
    if (task.mapParent) {
      this.reporter.enqueue(report, () => this.parentSettled(batch));
    } else if (batch.openParents > 0) {
      batch.heldReports.push(report);
    } else {
      this.reporter.enqueue(report);
    }
  }

  private parentSettled(batch: BatchState): void {
    batch.openParents = Math.max(0, batch.openParents - 1);
    if (batch.openParents > 0) return;
    for (const held of batch.heldReports.splice(0)) this.reporter.enqueue(held);
  }

  private release(task: TaskExecution, batch: BatchState): void {
    batch.running--;
    this.running--;
    batch.tasks.delete(task);
    this.active.delete(task.key);
    this.finished.add(task.key);
    if (batch.idle && batch.taskType === TaskType.CLUSTER) this.dropBatch(batch);
    else this.pump(batch);
    this.reportConcurrency();
  }

  private abortBatch(batchKey: string, reason: AbortReason): void {
    const batch = this.batches.get(batchKey);
    if (!batch) return;
    this.dropBatch(batch);
    for (const task of [...batch.tasks]) this.abortTask(task, batch, reason);
    this.reportConcurrency();
  }

  private abortTask(task: TaskExecution, batch: BatchState, reason: AbortReason): void {
    const wasRunning = task.state === 'running';
    if (task.state !== 'queued' && !wasRunning) return;
    task.controller.abort(reason);
    task.state = 'aborted';
    batch.tasks.delete(task);
    this.active.delete(task.key);
    this.finished.add(task.key);
    if (task.mapParent) this.parentSettled(batch);
    if (wasRunning) {
      batch.running--;
      this.running--;
      this.abandoned.add(task);
      const outcome: TaskOutcome = reason;
      this.instrumentation.taskEnded(task.executorName, outcome, performance.now() - task.startedAt);
    } else {
      const i = batch.queue.indexOf(task);
      if (i >= 0) batch.queue.splice(i, 1);
      this.queued--;
    }
    this.logger.log(`Task ${String(task.request.taskId)} (${task.executorName}) aborted: ${reason}`);
    if (reason === 'shutdown') {
      const failed = ExecuteResult.failure(
        undefined,
        'Task aborted: the client shut down before it finished',
      );
      this.reporter.enqueue(buildResultReport(task.request, toWireExecuteResult(failed), undefined));
    }
  }

  private dropBatch(batch: BatchState): void {
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = undefined;
    if (this.batches.get(batch.key) === batch) this.batches.delete(batch.key);
  }

  private reportConcurrency(): void {
    this.instrumentation.concurrency(this.running, this.queued, this.batches.size);
  }
}

/** The handler for a dispatch, or a refusal message naming the fix. */
function resolveHandler(executor: ExecutorDefinition, request: DispatchJobRequest): BoundHandler | string {
  const stage = stageOf(request);
  if (executor.kind === 'plain') {
    return stage === 'plain'
      ? executor.handler
      : WRONG_EXECUTOR_KIND(executor.name, request.taskType, 'plain');
  }
  if (stage === 'plain') return WRONG_EXECUTOR_KIND(executor.name, request.taskType, 'map');
  if (stage === 'map') {
    const name = mapTaskName(request);
    return (
      executor.mapTasks.get(name) ??
      `MapTask execution method not found: map executor "${executor.name}" (class ${executor.className}) has no ${
        name === 'ROOT_MAP' ? '@MapTask()' : `@MapTask('${name}')`
      } method for task "${name}". Add one.`
    );
  }
  if (stage === 'reduce') {
    return (
      executor.reduce ??
      `Map-reduce executor "${executor.name}" (class ${executor.className}) has no @ReduceTask() method for mrStage 2. Add one.`
    );
  }
  return (
    executor.merge ??
    `Map-reduce executor "${executor.name}" (class ${executor.className}) has no @MergeTask() method for mrStage 3. Add one.`
  );
}
