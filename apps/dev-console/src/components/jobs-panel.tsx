import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { ApiId, JobView } from '../api/types.js';
import { TASK_TYPES, clock } from '../format.js';
import { act } from '../hooks/use-action.js';
import { usePoll } from '../hooks/use-poll.js';
import { JobForm } from './job-form.js';
import { Empty, Panel } from './panel.js';

/** Jobs: create, edit, enable/disable, trigger, delete; a click selects a job's batches. */
export function JobsPanel(props: {
  selected: ApiId | undefined;
  onSelect: (jobId: ApiId | undefined) => void;
  onTriggered: (jobId: ApiId, batchId: ApiId) => void;
}) {
  const jobs = usePoll<JobView[]>('/api/jobs').data ?? [];
  const [editing, setEditing] = useState<JobView | 'new' | undefined>();
  const trigger = async (job: JobView) => {
    const r = await act(() =>
      api.post<{ taskBatchId: ApiId }>(`/api/jobs/${job.id}/trigger`, { manual: true }),
    );
    if (r) props.onTriggered(job.id, r.taskBatchId);
  };
  const toggle = (job: JobView) =>
    act(() => api.put(`/api/jobs/${job.id}/status`, { jobStatus: job.jobStatus === 1 ? 0 : 1 }));
  const remove = async (job: JobView) => {
    if (!window.confirm(`Delete job ${job.id} (${job.jobName})? Its batches and logs stay.`)) return;
    await act(() => api.delete(`/api/jobs/${job.id}`));
    if (props.selected === job.id) props.onSelect(undefined);
  };
  return (
    <Panel
      title="Jobs"
      actions={
        <button class="primary" onClick={() => setEditing('new')}>
          New job
        </button>
      }
    >
      {editing && (
        <JobForm
          key={editing === 'new' ? 'new' : editing.id}
          job={editing === 'new' ? undefined : editing}
          onDone={(id) => {
            setEditing(undefined);
            if (id !== undefined) props.onSelect(id);
          }}
        />
      )}
      {jobs.length === 0 ? (
        <Empty>No jobs yet: create one.</Empty>
      ) : (
        <table class="selectable">
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th>Executor</th>
              <th>Type</th>
              <th>Next</th>
              <th>Enabled</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr
                key={job.id}
                class={props.selected === job.id ? 'selected' : ''}
                onClick={() => props.onSelect(props.selected === job.id ? undefined : job.id)}
                aria-label={`Job ${job.jobName}`}
              >
                <td>{job.id}</td>
                <td>{job.jobName}</td>
                <td>
                  <code>{job.executorInfo}</code>
                </td>
                <td>{TASK_TYPES[job.taskType] ?? job.taskType}</td>
                <td class="muted nowrap" title={job.triggerType === 99 ? '' : job.triggerInterval}>
                  {job.nextTriggerAt && job.jobStatus === 1 ? clock(job.nextTriggerAt).slice(0, 8) : '—'}
                </td>
                <td onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    class="switch"
                    aria-label={`Enable ${job.jobName}`}
                    checked={job.jobStatus === 1}
                    onChange={() => toggle(job)}
                  />
                </td>
                <td class="row-actions" onClick={(e) => e.stopPropagation()}>
                  <button onClick={() => trigger(job)}>Trigger</button>
                  <button onClick={() => setEditing(job)}>Edit</button>
                  <button
                    class="danger"
                    onClick={() => remove(job)}
                    disabled={job.jobStatus === 1}
                    title={job.jobStatus === 1 ? 'Disable the job to delete it' : ''}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
