import { useState } from 'preact/hooks';
import type { ApiId, BatchView, TaskView } from '../api/types.js';
import { TASK_TYPES, duration } from '../format.js';
import { usePoll } from '../hooks/use-poll.js';
import { BatchActions } from './batch-actions.js';
import { LogsView } from './logs-view.js';
import { Panel } from './panel.js';
import { StatusBadge } from './status-badge.js';

function flatten(tasks: TaskView[], depth = 0): { task: TaskView; depth: number }[] {
  return tasks.flatMap((task) => [{ task, depth }, ...flatten(task.children ?? [], depth + 1)]);
}

/** One batch: its tasks (as a tree for MAP jobs) with status, retries, results, and their logs. */
export function BatchDetail({ batchId }: { batchId: ApiId }) {
  const batch = usePoll<BatchView>(`/api/batches/${batchId}?tree=1`).data;
  const [taskId, setTaskId] = useState<ApiId | undefined>();
  if (!batch) return <Panel title={`Batch ${batchId}`}>Loading…</Panel>;
  const rows = flatten(batch.tasks);
  return (
    <Panel
      title={`Batch ${batch.id}`}
      class="batch-detail"
      actions={
        <>
          <StatusBadge name={batch.statusName} />
          <span class="muted">
            {TASK_TYPES[batch.taskType]} · job {batch.jobId} · {duration(batch.createdAt, batch.finishedAt)}
            {batch.operationReason !== 0 && ` · ${batch.operationReasonName}`}
          </span>
          <BatchActions batch={batch} />
        </>
      }
    >
      <table class="selectable tasks">
        <thead>
          <tr>
            <th>Task</th>
            <th>Name</th>
            <th>Status</th>
            <th>Retries</th>
            <th>Node</th>
            <th>Result</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ task, depth }) => (
            <tr
              key={task.id}
              class={taskId === task.id ? 'selected' : ''}
              onClick={() => setTaskId(taskId === task.id ? undefined : task.id)}
              aria-label={`Task ${task.id}`}
            >
              <td style={{ paddingLeft: `${0.5 + depth * 1.2}rem` }}>{task.id}</td>
              <td>{task.taskName}</td>
              <td>
                <StatusBadge name={task.statusName} />
              </td>
              <td>{task.retryCount ?? 0}</td>
              <td class="muted">{task.node ? `${task.node.hostIp}:${task.node.hostPort}` : ''}</td>
              <td>
                <code class="result">{task.result}</code>
              </td>
              <td class="muted">{task.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 class="logs-title">
        Logs{' '}
        <span class="muted">
          {taskId === undefined ? 'of every task (click a task to filter)' : `of task ${taskId}`}
        </span>
      </h3>
      <LogsView batchId={batch.id} taskId={taskId} />
    </Panel>
  );
}
