import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { ApiId, WorkflowBatchView, WorkflowView } from '../api/types.js';
import { clock, prettyJson } from '../format.js';
import { act } from '../hooks/use-action.js';
import { usePoll } from '../hooks/use-poll.js';
import { Empty, Panel } from './panel.js';
import { StatusBadge } from './status-badge.js';

function WorkflowRun({ run, onOpenBatch }: { run: WorkflowBatchView; onOpenBatch: (id: ApiId) => void }) {
  const running = run.statusName === 'WAITING' || run.statusName === 'RUNNING';
  return (
    <div class="wf-run" aria-label={`Workflow run ${run.id}`}>
      <div class="wf-run-head">
        <strong>Run {run.id}</strong> <StatusBadge name={run.statusName} />
        <span class="muted">{clock(run.createdAt)}</span>
        {running && (
          <button class="danger" onClick={() => act(() => api.post(`/api/workflow-batches/${run.id}/stop`))}>
            Stop
          </button>
        )}
      </div>
      <div class="wf-nodes">
        {run.nodes.map((n) => (
          <button
            class="wf-node"
            key={n.nodeId}
            disabled={n.taskBatchId === null}
            onClick={() => n.taskBatchId !== null && onOpenBatch(n.taskBatchId)}
            title={n.taskBatchId === null ? 'not started' : `open batch ${n.taskBatchId}`}
          >
            {n.key} <StatusBadge name={n.statusName} />
          </button>
        ))}
      </div>
      <pre class="wf-context" aria-label={`Context of run ${run.id}`}>
        {prettyJson(run.wfContext)}
      </pre>
    </div>
  );
}

/** Workflows, their runs, node states and context; trigger and stop. */
export function WorkflowsPanel({ onOpenBatch }: { onOpenBatch: (id: ApiId) => void }) {
  const workflows = usePoll<WorkflowView[]>('/api/workflows').data ?? [];
  const [selected, setSelected] = useState<ApiId | undefined>();
  const current = selected ?? workflows[0]?.id;
  const runs =
    usePoll<WorkflowBatchView[]>(current === undefined ? null : `/api/workflow-batches?workflowId=${current}`)
      .data ?? [];
  const edges = (w: WorkflowView) => {
    const key = new Map(w.nodes.map((n) => [n.nodeId, n.key]));
    return w.edges.map(([a, b]) => `${key.get(a)} → ${key.get(b)}`).join(', ');
  };
  return (
    <Panel title="Workflows">
      {workflows.length === 0 ? (
        <Empty>No workflows (create them with POST /api/workflows).</Empty>
      ) : (
        <>
          <table class="selectable">
            <tbody>
              {workflows.map((w) => (
                <tr
                  key={w.id}
                  class={current === w.id ? 'selected' : ''}
                  onClick={() => setSelected(w.id)}
                  aria-label={`Workflow ${w.name}`}
                >
                  <td>{w.id}</td>
                  <td>{w.name}</td>
                  <td class="muted">{edges(w) || w.nodes.map((n) => n.key).join(', ')}</td>
                  <td class="row-actions" onClick={(e) => e.stopPropagation()}>
                    <button
                      onClick={async () => {
                        setSelected(w.id);
                        await act(() => api.post(`/api/workflows/${w.id}/trigger`));
                      }}
                    >
                      Trigger
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.slice(0, 5).map((run) => (
            <WorkflowRun key={run.id} run={run} onOpenBatch={onOpenBatch} />
          ))}
        </>
      )}
    </Panel>
  );
}
