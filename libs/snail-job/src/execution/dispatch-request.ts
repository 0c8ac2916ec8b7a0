import type { DispatchJobRequest } from '../protocol/payloads.js';
import { documentsProblem } from './args-factory.js';

/** A Java `long`: the range every SnailJob id is in. */
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const REQUIRED: readonly (keyof DispatchJobRequest)[] = [
  'namespaceId',
  'jobId',
  'taskBatchId',
  'taskId',
  'taskType',
  'groupName',
  'parallelNum',
  'executorType',
  'executorInfo',
  'executorTimeout',
];

const ID_FIELDS = ['jobId', 'taskBatchId', 'taskId', 'workflowTaskBatchId', 'workflowNodeId'] as const;
const INT_FIELDS = [
  'taskType',
  'parallelNum',
  'executorType',
  'executorTimeout',
  'mrStage',
  'shardingIndex',
  'shardingTotal',
  'retryCount',
  'retryScene',
] as const;
const STRING_FIELDS = [
  'namespaceId',
  'groupName',
  'executorInfo',
  'argsStr',
  'taskName',
  'wfContext',
  'jobBizId',
] as const;

/**
 * Checks a `/job/dispatch/v1` argument like the Java client's bean validation, plus types. Returns the request
 * or a message naming the first problem.
 */
export function validateDispatch(
  arg: unknown,
): { ok: true; request: DispatchJobRequest } | { ok: false; message: string } {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) {
    return { ok: false, message: 'Dispatch request must be a JSON object' };
  }
  const r = arg as Record<string, unknown>;
  for (const key of REQUIRED) {
    if (r[key] === undefined || r[key] === null || r[key] === '')
      return { ok: false, message: `${key} cannot be null` };
  }
  for (const key of ID_FIELDS) {
    const v = r[key];
    if (v === undefined) continue;
    if (!(typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v)))) {
      return { ok: false, message: `${key} must be an integer id, got ${describe(v)}` };
    }
    // The server's ids are Java longs: one beyond that range was never sent by a server.
    if (typeof v === 'bigint' && (v < LONG_MIN || v > LONG_MAX)) {
      return { ok: false, message: `${key} is outside the Java long range, got ${describe(v)}` };
    }
  }
  for (const key of INT_FIELDS) {
    const v = r[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      return { ok: false, message: `${key} must be an integer, got ${describe(v)}` };
    }
  }
  for (const key of STRING_FIELDS) {
    const v = r[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return { ok: false, message: `${key} must be a string, got ${describe(v)}` };
  }
  for (const key of ['retryStatus', 'retry'] as const) {
    const v = r[key];
    if (v !== undefined && v !== null && typeof v !== 'boolean') {
      return { ok: false, message: `${key} must be a boolean, got ${describe(v)}` };
    }
  }
  if ((r.taskType as number) < 1 || (r.taskType as number) > 5) {
    return { ok: false, message: `taskType must be 1-5, got ${describe(r.taskType)}` };
  }
  if ((r.parallelNum as number) < 1)
    return { ok: false, message: `parallelNum must be >= 1, got ${describe(r.parallelNum)}` };
  if ((r.executorTimeout as number) < 0) {
    return { ok: false, message: `executorTimeout must be >= 0, got ${describe(r.executorTimeout)}` };
  }
  const request = r as unknown as DispatchJobRequest;
  const problem = documentsProblem(request);
  if (problem !== undefined) return { ok: false, message: problem };
  return { ok: true, request };
}

function describe(v: unknown): string {
  const text = typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Key under which a dispatch is de-duplicated: the same task, retry count and retry flag is the same delivery. */
export function deliveryKey(r: DispatchJobRequest): string {
  return `${String(r.taskId)}:${r.retryCount ?? 0}:${r.retryStatus === true ? 1 : 0}`;
}
