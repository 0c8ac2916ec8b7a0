import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { ApiId, ExecutorRecord, GroupView, JobView } from '../api/types.js';
import { BLOCK_STRATEGIES, ROUTE_KEYS, TASK_TYPES, TRIGGER_TYPES } from '../format.js';
import { act } from '../hooks/use-action.js';
import { usePoll } from '../hooks/use-poll.js';

interface Fields {
  jobName: string;
  groupName: string;
  executorInfo: string;
  taskType: string;
  argsStr: string;
  routeKey: string;
  blockStrategy: string;
  executorTimeout: string;
  maxRetryTimes: string;
  retryInterval: string;
  parallelNum: string;
  labels: string;
  triggerType: string;
  triggerInterval: string;
}

function fieldsOf(job: JobView | undefined): Fields {
  return {
    jobName: job?.jobName ?? '',
    groupName: job?.groupName ?? 'snail_job_demo_group',
    executorInfo: job?.executorInfo ?? '',
    taskType: String(job?.taskType ?? 1),
    argsStr: job?.argsStr ?? '',
    routeKey: String(job?.routeKey ?? 4),
    blockStrategy: String(job?.blockStrategy ?? 1),
    executorTimeout: String(job?.executorTimeout ?? 60),
    maxRetryTimes: String(job?.maxRetryTimes ?? 0),
    retryInterval: String(job?.retryInterval ?? 1),
    parallelNum: String(job?.parallelNum ?? 1),
    labels: job && Object.keys(job.labels).length > 0 ? JSON.stringify(job.labels) : '',
    triggerType: String(job?.triggerType ?? 99),
    triggerInterval: job?.triggerType === 99 ? '' : (job?.triggerInterval ?? ''),
  };
}

/** The body the API takes; the schedule only when it is set or changed (the server validates it). */
function bodyOf(f: Fields, initial: Fields): Record<string, unknown> {
  const scheduleChanged =
    f.triggerType !== initial.triggerType || f.triggerInterval !== initial.triggerInterval;
  const schedule =
    scheduleChanged && (f.triggerType !== '99' || initial.triggerType !== '99')
      ? { triggerType: Number(f.triggerType), triggerInterval: f.triggerInterval || undefined }
      : {};
  return {
    ...schedule,
    jobName: f.jobName,
    groupName: f.groupName,
    executorInfo: f.executorInfo,
    taskType: Number(f.taskType),
    argsStr: f.argsStr,
    routeKey: Number(f.routeKey),
    blockStrategy: Number(f.blockStrategy),
    executorTimeout: f.executorTimeout,
    maxRetryTimes: f.maxRetryTimes,
    retryInterval: f.retryInterval,
    parallelNum: f.parallelNum,
    labels: f.labels.trim() === '' ? {} : f.labels,
  };
}

function Choice(props: {
  label: string;
  value: string;
  options: Record<number, string>;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {Object.entries(props.options).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Creates a job, or edits `job`; calls `onDone` with the job's id once saved. */
export function JobForm({ job, onDone }: { job?: JobView; onDone: (id: ApiId | undefined) => void }) {
  const [initial] = useState<Fields>(() => fieldsOf(job));
  const [f, setF] = useState<Fields>(initial);
  const groups = usePoll<GroupView[]>('/api/groups').data ?? [];
  const executors = usePoll<ExecutorRecord[]>('/api/executors').data ?? [];
  const set = (key: keyof Fields) => (value: string) => setF((old) => ({ ...old, [key]: value }));
  const text = (key: keyof Fields, label: string, extra: Record<string, string | boolean> = {}) => (
    <label>
      {label}
      <input value={f[key]} onInput={(e) => set(key)(e.currentTarget.value)} {...extra} />
    </label>
  );
  const save = async (e: Event) => {
    e.preventDefault();
    const saved = await act(() =>
      job
        ? api.put<JobView>(`/api/jobs/${job.id}`, bodyOf(f, initial))
        : api.post<{ id: ApiId }>('/api/jobs', bodyOf(f, initial)),
    );
    if (saved) onDone(saved.id);
  };
  return (
    <form class="job-form" aria-label={job ? `Edit job ${job.id}` : 'New job'} onSubmit={save}>
      <h3>{job ? `Edit job ${job.id}` : 'New job'}</h3>
      <div class="form-grid">
        {text('jobName', 'Name', { placeholder: 'job-<id>' })}
        <label>
          Group
          <select
            value={f.groupName}
            disabled={job !== undefined}
            title={job ? 'A job keeps its group' : ''}
            onChange={(e) => set('groupName')(e.currentTarget.value)}
          >
            {groups.map((g) => (
              <option key={g.groupName}>{g.groupName}</option>
            ))}
          </select>
        </label>
        {text('executorInfo', 'Executor', { list: 'executor-names', required: 'required' })}
        <datalist id="executor-names">
          {executors
            .filter((x) => x.groupName === f.groupName)
            .map((x) => (
              <option key={x.executorInfo} value={x.executorInfo} />
            ))}
        </datalist>
        <Choice label="Task type" value={f.taskType} options={TASK_TYPES} onChange={set('taskType')} />
        <Choice label="Route" value={f.routeKey} options={ROUTE_KEYS} onChange={set('routeKey')} />
        <Choice
          label="Block strategy"
          value={f.blockStrategy}
          options={BLOCK_STRATEGIES}
          onChange={set('blockStrategy')}
        />
        {text('executorTimeout', 'Timeout (s)', { inputmode: 'numeric' })}
        {text('maxRetryTimes', 'Max retries', { inputmode: 'numeric' })}
        {text('retryInterval', 'Retry interval (s)', { inputmode: 'numeric' })}
        {text('parallelNum', 'Parallelism', { inputmode: 'numeric' })}
        {text('labels', 'Labels (JSON)', { placeholder: '{"env":"dev"}' })}
        <Choice
          label="Schedule"
          value={f.triggerType}
          options={TRIGGER_TYPES}
          onChange={set('triggerType')}
        />
        {text('triggerInterval', 'Interval', {
          placeholder:
            f.triggerType === '2'
              ? 'seconds, e.g. 30'
              : f.triggerType === '3'
                ? 'e.g. 0/10 * * * * ?'
                : f.triggerType === '5'
                  ? '["2030-01-01 08:00:00"]'
                  : '',
          disabled: f.triggerType === '99',
        })}
      </div>
      <label class="wide">
        Arguments
        <textarea rows={2} value={f.argsStr} onInput={(e) => set('argsStr')(e.currentTarget.value)} />
      </label>
      <div class="form-actions">
        <button type="submit" class="primary">
          {job ? 'Save' : 'Create'}
        </button>
        <button type="button" onClick={() => onDone(undefined)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
