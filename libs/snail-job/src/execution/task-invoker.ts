import { Injectable, Logger } from '@nestjs/common';
import { RecentTasks } from '../diagnostics/recent-tasks.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import type { JobArgs } from '../job/job-args.js';
import { formatThrowable } from '../logging/log-format.js';
import { LogReporter } from '../logging/log-reporter.js';
import { taskContextStorage } from '../logging/task-context.js';
import { MapTaskReporter } from '../reporting/map-task-reporter.js';
import { ResultReporter } from '../reporting/result-reporter.js';
import { TASK_FAILED, TASK_FAILED_LINE, TASK_RETRY_LINE } from '../snail-job.messages.js';
import { buildArgs } from './args-factory.js';
import { sendThroughParentGate } from './parent-report-gate.js';
import { resultReport, toExecuteResult, toWireExecuteResult } from './result-mapping.js';
import type { BatchState, TaskExecution } from './task-execution.js';

/**
 * Runs one task that holds all its slots: opens its remote log, builds its args, calls the handler inside the
 * task's async context, and queues its result report (through the map-parent gate). Knows nothing of batches,
 * queues or caps: the {@link TaskRunner} calls it and releases the slots afterwards.
 */
@Injectable()
export class TaskInvoker {
  private readonly logger = new Logger('SnailJob');
  /** Tasks that ended recently, for naming the culprit of an event-loop stall. */
  readonly recent = new RecentTasks();

  constructor(
    private readonly reporter: ResultReporter,
    private readonly mapReporter: MapTaskReporter,
    private readonly instrumentation: SnailJobInstrumentation,
    private readonly logs: LogReporter,
  ) {}

  /**
   * Runs the handler of `task` to its end. Returns false when the task was aborted meanwhile (nothing is
   * reported then: the abort path reported what had to be).
   */
  async invoke(task: TaskExecution, batch: BatchState): Promise<boolean> {
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
    if ((task.state as TaskExecution['state']) === 'aborted') return false;
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
    return true;
  }
}
