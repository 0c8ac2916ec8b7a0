import { Injectable } from '@nestjs/common';
import { ServerUri, stringifyJson, TaskType } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { parseId } from '../common/ids.js';
import { Messages } from '../dev-server.messages.js';
import { firstArgObject, type HandlerReply, type InboundCall, type UriHandler } from '../grpc/uri-handler.js';
import { JobStore } from '../jobs/job.store.js';
import { ResultService } from '../jobs/result.service.js';

function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : stringifyJson(value);
}

/** `/report/dispatch/result` (docs/protocol.md §6): parses the report and hands it to the result path. */
@Injectable()
export class ReportResultHandler implements UriHandler {
  readonly path = ServerUri.REPORT_RESULT;

  constructor(
    private readonly store: JobStore,
    private readonly results: ResultService,
    private readonly logger: DevServerLogger,
  ) {}

  handle(call: InboundCall): HandlerReply {
    const report = firstArgObject(call);
    if (!report) throw new Error('Dispatch result report is null');
    const taskType = report.taskType;
    if (typeof taskType !== 'number' || TaskType[taskType] === undefined) {
      throw new Error(`No result handler for taskType [${String(taskType)}]`);
    }
    if (typeof report.taskStatus !== 'number') {
      throw new Error('Cannot invoke "java.lang.Integer.intValue()" because "taskStatus" is null');
    }
    const taskId = parseId(report.taskId);
    const task = taskId === undefined ? undefined : this.store.task(taskId);
    if (!task) {
      this.logger.warn(`report for unknown task ${String(report.taskId)} ignored`);
      return { status: 1, message: Messages.resultReported, data: true };
    }
    const executeResult = report.executeResult;
    this.results.apply(task, {
      taskStatus: report.taskStatus,
      executeResult:
        executeResult !== null && typeof executeResult === 'object'
          ? (executeResult as { message?: string; result?: unknown })
          : undefined,
      wfContext: optionalText(report.wfContext),
      retryTraffic: report.retryStatus === true || report.retry === true,
      retryScene: typeof report.retryScene === 'number' ? report.retryScene : undefined,
    });
    return { status: 1, message: Messages.resultReported, data: true };
  }
}
