import { stringifyJson } from '../protocol/json.js';
import type {
  DispatchJobRequest,
  DispatchJobResultRequest,
  WireExecuteResult,
} from '../protocol/payloads.js';
import { TaskStatus } from '../protocol/enums.js';
import { ExecuteResult } from '../job/execute-result.js';
import type { JobArgs } from '../job/job-args.js';
import { SnailJobParamsError } from '../params/params.error.js';

/** Maps what a handler returned (or threw) to an {@link ExecuteResult}. */
export function toExecuteResult(outcome: { value: unknown } | { error: unknown }): ExecuteResult {
  if ('error' in outcome) {
    const e = outcome.error;
    const message = e instanceof Error ? e.message || e.name : typeof e === 'string' ? e : safeText(e);
    // Rejected params: the reason is the result too, for the SnailJob server stores only the result as the
    // task's result_message, never the message (JobExecutorResultActor.java); a throw otherwise has none, as in Java.
    if (e instanceof SnailJobParamsError) return ExecuteResult.failure(message, message);
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
      // As deep as it travels: inside the body's array, the report and executeResult (the outbox line alike), so
      // that a result nested too deep for the JSON limit fails here, with the reason, and not in the reporter.
      stringifyJson([{ executeResult: { result: result.result } }]);
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
  // fresh manual-retry request (docs/protocol.md §5.13, §12 pitfall 37), so the scene is only echoed on retry traffic.
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
