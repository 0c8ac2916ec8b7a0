import type { DispatchJobRequest } from '../protocol/payloads.js';

/** Key under which a dispatch is de-duplicated: the same task, retry count and retry flag is the same delivery. */
export function deliveryKey(r: DispatchJobRequest): string {
  return `${String(r.taskId)}:${r.retryCount ?? 0}:${r.retryStatus === true ? 1 : 0}`;
}
