import type { ApiId, BatchView } from '../api/types.js';
import { clock, duration } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';
import { BatchActions } from './batch-actions.js';
import { Empty, Panel } from './panel.js';
import { StatusBadge } from './status-badge.js';

/** Batches, newest first: of the selected job, else of every job. */
export function BatchesPanel(props: {
  jobId: ApiId | undefined;
  selected: ApiId | undefined;
  onSelect: (batchId: ApiId) => void;
}) {
  const path = props.jobId === undefined ? '/api/batches' : `/api/batches?jobId=${props.jobId}`;
  const batches = [...(usePoll<BatchView[]>(path).data ?? [])].reverse();
  return (
    <Panel title={props.jobId === undefined ? 'Batches' : `Batches of job ${props.jobId}`}>
      {batches.length === 0 ? (
        <Empty>No batch yet: trigger a job.</Empty>
      ) : (
        <table class="selectable">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Job</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Tasks</th>
              <th>Started</th>
              <th>Took</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {batches.slice(0, 50).map((b) => (
              <tr
                key={b.id}
                class={props.selected === b.id ? 'selected' : ''}
                onClick={() => props.onSelect(b.id)}
                aria-label={`Batch ${b.id}`}
              >
                <td>{b.id}</td>
                <td>{b.jobId}</td>
                <td>
                  <StatusBadge name={b.statusName} />
                </td>
                <td class="muted">{b.operationReason === 0 ? '' : b.operationReasonName}</td>
                <td>{b.tasks.length}</td>
                <td>{clock(b.createdAt)}</td>
                <td>{duration(b.createdAt, b.finishedAt)}</td>
                <td>
                  <BatchActions batch={b} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
