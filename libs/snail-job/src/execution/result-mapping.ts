import { stringifyJson } from '../protocol/json.js';
import type {
  DispatchJobRequest,
  DispatchJobResultRequest,
  WireExecuteResult,
} from '../protocol/payloads.js';
import { TaskStatus } from '../protocol/enums.js';
import { ExecuteResult } from '../job/execute-result.js';
import type { JobArgs } from '../job/job-args.js';

/** Maps what a handler returned (or threw) to an {@link ExecuteResult}. */
export function toExecuteResult(outcome: { value: unknown } | { error: unknown }): ExecuteResult {
  if ('error' in outcome) {
    const e = outcome.error;
    const message = e instanceof Error ? e.message || e.name : typeof e === 'string' ? e : safeText(e);
    return ExecuteResult.failure(undefined, message || 'Task execution failed');
  }
  const v = outcome.value;
  if (ExecuteResult.isExecuteResult(v)) return v;
  return ExecuteResult.success(v === null ? undefined : v);
}

function safeText(v: unknown): string {
  try {
    return stringifyJson(v);
  } catch {
    return String(v);
  }
}

/** The wire `executeResult`; a result that cannot be serialised turns the report into a clear failure. */
export function toWireExecuteResult(result: ExecuteResult): WireExecuteResult {
  const wire: WireExecuteResult = { status: result.status, message: result.message ?? '' };
  if (result.result !== undefined && result.result !== null) {
    try {
      stringifyJson(result.result);
      wire.result = result.result;
    } catch (e) {
      return {
        status: 0,
        message: `Task result is not JSON-serialisable (${(e as Error).message}); return plain data from the executor.`,
      };
    }
  }
  return wire;
}

/** Builds the `/report/dispatch/result` body for a dispatch, echoing every field the server needs. */
export function buildResultReport(
  request: DispatchJobRequest,
  executeResult: WireExecuteResult,
  changedWfContext: Record<string, unknown> | undefined,
): DispatchJobResultRequest {
  const report: DispatchJobResultRequest = {
    jobId: request.jobId,
    taskBatchId: request.taskBatchId,
    taskId: request.taskId,
    taskType: request.taskType,
    groupName: request.groupName,
    taskStatus: executeResult.status === 0 ? TaskStatus.FAIL : TaskStatus.SUCCESS,
    executeResult,
    retryStatus: request.retryStatus === true,
    retry: false,
  };
  if (request.workflowTaskBatchId !== undefined && request.workflowTaskBatchId !== null) {
    report.workflowTaskBatchId = request.workflowTaskBatchId;
  }
  if (request.workflowNodeId !== undefined && request.workflowNodeId !== null)
    report.workflowNodeId = request.workflowNodeId;
  // retryScene and retryStatus travel together: a scene of 2 without retryStatus true is read by the server as a
  // fresh manual-retry request (spec §5.13, pitfall 37), so the scene is only echoed on retry traffic.
  if (report.retryStatus && request.retryScene !== undefined && request.retryScene !== null) {
    report.retryScene = request.retryScene;
  }
  if (changedWfContext && Object.keys(changedWfContext).length > 0)
    report.wfContext = stringifyJson(changedWfContext);
  return report;
}

/** The result report of a task; a workflow context that cannot be serialised turns it into a clear failure. */
export function resultReport(
  request: DispatchJobRequest,
  wire: WireExecuteResult,
  args: JobArgs | undefined,
): DispatchJobResultRequest {
  try {
    return buildResultReport(request, wire, args?.changedWfContext);
  } catch (e) {
    const message = `Task workflow context is not JSON-serialisable (${(e as Error).message}); append plain data with args.appendContext().`;
    return buildResultReport(request, { status: 0, message }, undefined);
  }
}
