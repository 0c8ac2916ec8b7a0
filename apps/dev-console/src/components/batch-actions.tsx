import { api } from '../api/client.js';
import type { BatchView } from '../api/types.js';
import { act } from '../hooks/use-action.js';

const RUNNING = new Set(['WAITING', 'RUNNING']);
const RETRYABLE = new Set(['FAIL', 'STOP', 'CANCEL']);

/** Stop (a running batch) and Retry (a FAIL/STOP/CANCEL one), as the console's buttons do. */
export function BatchActions({ batch }: { batch: BatchView }) {
  return (
    <span class="row-actions" onClick={(e) => e.stopPropagation()}>
      {RUNNING.has(batch.statusName) && (
        <button class="danger" onClick={() => act(() => api.post(`/api/batches/${batch.id}/stop`))}>
          Stop
        </button>
      )}
      {RETRYABLE.has(batch.statusName) && (
        <button onClick={() => act(() => api.post(`/api/batches/${batch.id}/retry`))}>Retry</button>
      )}
    </span>
  );
}
