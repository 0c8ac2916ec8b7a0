import { useEffect, useRef } from 'preact/hooks';
import type { ApiId, LogEntryView } from '../api/types.js';
import { clock } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';
import { Empty } from './panel.js';

/** The remote log lines of a batch (or of one of its tasks), appended as they arrive. */
export function LogsView({ batchId, taskId }: { batchId: ApiId; taskId: ApiId | undefined }) {
  const path = taskId === undefined ? `/api/batches/${batchId}/logs` : `/api/tasks/${taskId}/logs`;
  const entries = usePoll<LogEntryView[]>(path).data ?? [];
  const box = useRef<HTMLDivElement>(null);
  const count = entries.length;
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);
  if (count === 0)
    return <Empty>No log lines reported{taskId === undefined ? '' : ` by task ${taskId}`}.</Empty>;
  return (
    <div class="logs" ref={box} role="log" aria-label="Task logs">
      {entries.map((e, i) => {
        const f = e.fields;
        const at = Number(f.time_stamp ?? e.realTime);
        return (
          <div class={`log-line log-${(f.level ?? 'info').toLowerCase()}`} key={i}>
            <span class="log-time">{clock(at)}</span>
            <span class="log-level">{f.level ?? ''}</span>
            <span class="log-task">#{e.taskId}</span>
            <span class="log-message">{f.message ?? ''}</span>
            {f.location && <span class="log-location">{f.location}</span>}
            {f.throwable && <pre class="log-throwable">{f.throwable}</pre>}
          </div>
        );
      })}
    </div>
  );
}
