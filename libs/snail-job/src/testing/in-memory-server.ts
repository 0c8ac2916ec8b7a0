import { stringifyJson } from '../protocol/json.js';
import { parseWfContext } from '../protocol/args-holder.js';
import { wireResult } from '../protocol/envelope.js';
import { MapReduceStage, TaskName, TaskStatus, TaskType } from '../protocol/enums.js';
import type {
  DispatchJobRequest,
  DispatchJobResultRequest,
  JobLogTaskRequest,
  MapTaskRequest,
  StopJobRequest,
} from '../protocol/payloads.js';
import type { WireResult } from '../protocol/proto-descriptor.js';
import { ServerUri } from '../protocol/uris.js';
import type { RemoteLogLevel } from '../logging/log-level.js';
import type {
  RunningTest,
  TestLogLine,
  TestMapRequest,
  TestRun,
  TestRunInput,
  TestRunStatus,
  TestTask,
  TestTaskType,
} from './job-run.js';

/** The client side, as the in-memory server reaches it. */
export interface InMemoryClient {
  /** Sends `/job/dispatch/v1`; resolves with whether the client accepted, and its message. */
  dispatch(request: DispatchJobRequest): Promise<{ accepted: boolean; message: string }>;
  /** Sends `/job/stop/v1`. */
  stop(request: StopJobRequest): Promise<void>;
  /** Resolves once aborted handlers returned (bounded) and the remote log lines written so far arrived. */
  settle(): Promise<void>;
}

const WIRE_TYPES: Record<TestTaskType, TaskType> = {
  cluster: TaskType.CLUSTER,
  broadcast: TaskType.BROADCAST,
  sharding: TaskType.SHARDING,
  map: TaskType.MAP,
  mapReduce: TaskType.MAP_REDUCE,
};

/** How much later than the client's timer the server ends a timed-out batch. */
const TIMEOUT_MARGIN_MS = 100;

interface TaskRecord {
  readonly view: TestTask;
  readonly request: DispatchJobRequest;
  /** The result as the server stores it: text. */
  stored?: string;
}

class Batch {
  readonly tasks: TaskRecord[] = [];
  readonly byId = new Map<number, TaskRecord>();
  readonly logs: TestLogLine[] = [];
  readonly mapRequests: TestMapRequest[] = [];
  /** Dispatched tasks that have not reported. */
  open = 0;
  status: TestRunStatus | undefined;
  timer: NodeJS.Timeout | undefined;
  startWaiters: { count: number; resolve: () => void }[] = [];
  startedBase = 0;
  resolve!: (run: TestRun) => void;
  reject!: (error: Error) => void;
  readonly done: Promise<TestRun>;

  constructor(
    readonly id: number,
    readonly input: TestRunInput,
    readonly taskType: TestTaskType,
    readonly base: Omit<DispatchJobRequest, 'taskId' | 'taskType' | 'argsStr'>,
    readonly jobParams: string | undefined,
    public wfContext: Record<string, unknown>,
  ) {
    this.done = new Promise<TestRun>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/**
 * A SnailJob server in a test's process, for one app: creates a batch's tasks the way SnailJob 2.0.2 does
 * (one per shard, `doMap` children, the REDUCE phase over the map leaves, MERGE over two or more reduces),
 * dispatches them to the client, and records results, workflow context, map requests and remote log lines.
 * Like the real server, a stopped or timed-out batch ends at once, whatever its handlers still do.
 */
export class InMemoryServer {
  private nextId = 1;
  private readonly batches = new Map<number, Batch>();
  private startedTasks = 0;

  constructor(
    private readonly client: InMemoryClient,
    private readonly identity: { namespace: string; group: string },
  ) {}

  /** The channel's handler: every client → server call of the job protocol. */
  handle(uri: string, args: unknown[]): WireResult {
    switch (uri) {
      case ServerUri.BEAT:
        return wireResult(1, 'PONG');
      case ServerUri.REGISTER_EXECUTORS:
        return wireResult(1, true);
      case ServerUri.SYNC_VERSION:
        return wireResult(1, null);
      case ServerUri.REPORT_RESULT:
        this.result(args[0] as DispatchJobResultRequest);
        return wireResult(1, true);
      case ServerUri.MAP_TASK:
        return this.mapTasks(args[0] as MapTaskRequest);
      case ServerUri.REPORT_LOG:
        this.logLines(args[0] as JobLogTaskRequest[]);
        return wireResult(1, true);
      default:
        return wireResult(0, null, `Unknown URI ${uri}`);
    }
  }

  /** A task's handler began (from the client's instrumentation). */
  taskStarted(): void {
    this.startedTasks++;
    for (const batch of this.batches.values()) this.wakeStarted(batch);
  }

  /** Creates a batch of `executorName` and dispatches its first tasks. */
  start(executorName: string, taskType: TestTaskType, input: TestRunInput): RunningTest {
    const id = this.nextId++;
    const timeoutSeconds = Math.max(1, Math.ceil(input.timeoutSeconds ?? 60));
    const workflow = input.workflow === true || input.wfContext !== undefined;
    const base: Batch['base'] = {
      namespaceId: this.identity.namespace,
      groupName: this.identity.group,
      jobId: input.jobId ?? 1,
      taskBatchId: id,
      parallelNum: Math.max(1, input.parallelNum ?? 1),
      executorType: 1,
      executorInfo: executorName,
      executorTimeout: timeoutSeconds,
      retryCount: input.retryCount ?? 0,
      retryStatus: (input.retryCount ?? 0) > 0,
      ...((input.retryCount ?? 0) > 0 ? { retryScene: 1 } : {}),
      ...(workflow ? { workflowTaskBatchId: 1000 + id, workflowNodeId: 1 } : {}),
    };
    const params =
      input.params === undefined || typeof input.params === 'string'
        ? input.params
        : stringifyJson(input.params);
    const batch = new Batch(id, input, taskType, base, params, { ...(input.wfContext ?? {}) });
    batch.startedBase = this.startedTasks;
    this.batches.set(id, batch);
    // A little after the client's own timer (armed when the dispatch arrives), as the server checks later too.
    batch.timer = setTimeout(
      () => void this.end(batch, 'timeout'),
      timeoutSeconds * 1000 + TIMEOUT_MARGIN_MS,
    );
    batch.timer.unref();

    if (taskType === 'sharding') {
      const shards = input.shards ?? 1;
      const list = typeof shards === 'number' ? Array.from({ length: shards }, () => params) : shards;
      list.forEach((shardParams, index) =>
        this.createTask(batch, {
          taskName: TaskName.SHARDING,
          stage: 'plain',
          jobParams: shardParams,
          extra: { shardingIndex: index, shardingTotal: list.length },
        }),
      );
    } else if (taskType === 'map' || taskType === 'mapReduce') {
      this.createTask(batch, {
        taskName: TaskName.ROOT_MAP,
        stage: 'map',
        jobParams: params,
        extra: taskType === 'mapReduce' ? { mrStage: MapReduceStage.MAP } : {},
      });
    } else {
      this.createTask(batch, {
        taskName: taskType === 'broadcast' ? TaskName.BROADCAST : TaskName.CLUSTER,
        stage: 'plain',
        jobParams: params,
      });
    }
    const roots = [...batch.tasks];
    void Promise.all(roots.map((t) => this.dispatch(batch, t, false))).then((refusals) => {
      const refused = refusals.filter((m): m is string => m !== undefined);
      if (refused.length === roots.length && batch.status === undefined) {
        batch.status = 'failure';
        this.dispose(batch);
        batch.reject(new Error(`The client refused the dispatch of "${executorName}": ${refused[0]}`));
      } else {
        this.check(batch);
      }
    });
    return {
      taskBatchId: id,
      done: batch.done,
      started: () => this.whenStarted(batch),
      stop: () => this.stop(batch),
    };
  }

  private createTask(
    batch: Batch,
    spec: {
      taskName: string;
      stage: TestTask['stage'];
      jobParams?: string | undefined;
      maps?: unknown;
      reduces?: unknown;
      parentId?: number;
      extra?: Partial<DispatchJobRequest>;
    },
  ): TaskRecord {
    const taskId = this.nextId++;
    const holder: Record<string, unknown> = {};
    if (spec.jobParams !== undefined) holder.jobParams = spec.jobParams;
    if (spec.maps !== undefined) holder.maps = spec.maps;
    if (spec.reduces !== undefined) holder.reduces = spec.reduces;
    const request: DispatchJobRequest = {
      ...batch.base,
      taskId,
      taskType: WIRE_TYPES[batch.taskType],
      taskName: spec.taskName,
      argsStr: stringifyJson(holder),
      ...(batch.base.workflowTaskBatchId !== undefined ? { wfContext: stringifyJson(batch.wfContext) } : {}),
      ...spec.extra,
    };
    const view: TestTask = {
      taskId,
      parentId: spec.parentId ?? 0,
      taskName: spec.taskName,
      stage: spec.stage,
      status: 'running',
      parent: false,
      ...(spec.extra?.shardingIndex !== undefined ? { shardingIndex: spec.extra.shardingIndex } : {}),
    };
    const record: TaskRecord = { view, request };
    batch.tasks.push(record);
    batch.byId.set(taskId, record);
    batch.open++;
    return record;
  }

  /** Dispatches one task; resolves with the refusal message, if the client refused it. */
  private async dispatch(batch: Batch, task: TaskRecord, check = true): Promise<string | undefined> {
    let reply: { accepted: boolean; message: string };
    try {
      reply = await this.client.dispatch(task.request);
    } catch (error) {
      reply = { accepted: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (reply.accepted) return undefined;
    if (batch.status === undefined && task.view.status === 'running') {
      task.view.status = 'failure';
      task.view.message = reply.message;
      batch.open--;
      if (check) this.check(batch);
    }
    return reply.message;
  }

  private result(report: DispatchJobResultRequest): void {
    const batch = this.batches.get(Number(report.taskBatchId));
    const task = batch?.byId.get(Number(report.taskId));
    if (!batch || !task || batch.status !== undefined || task.view.status !== 'running') return;
    task.view.status = report.taskStatus === TaskStatus.SUCCESS ? 'success' : 'failure';
    const result = report.executeResult?.result;
    if (result !== undefined && result !== null) {
      task.view.result = result;
      task.stored = typeof result === 'string' ? result : stringifyJson(result);
    }
    if (report.executeResult?.message) task.view.message = report.executeResult.message;
    if (report.wfContext !== undefined) {
      const changes = parseWfContext(report.wfContext);
      task.view.wfContextChanges = changes;
      batch.wfContext = { ...batch.wfContext, ...changes };
    }
    batch.open--;
    this.check(batch);
  }

  private mapTasks(request: MapTaskRequest): WireResult {
    const batch = this.batches.get(Number(request.taskBatchId));
    const parent = batch?.byId.get(Number(request.parentId));
    if (!batch || !parent)
      return wireResult(0, false, `Task batch not found. taskBatchId:[${String(request.taskBatchId)}]`);
    if (batch.status !== undefined)
      return wireResult(0, false, `Task batch ${batch.id} already ended (${batch.status})`);
    if (!Array.isArray(request.subTask) || request.subTask.length === 0) {
      return wireResult(0, false, 'The sub-task list is empty');
    }
    parent.view.parent = true;
    batch.mapRequests.push({
      parentId: Number(request.parentId),
      taskName: request.taskName,
      items: request.subTask,
    });
    if (request.wfContext) batch.wfContext = { ...batch.wfContext, ...parseWfContext(request.wfContext) };
    const children = request.subTask.map((item) =>
      this.createTask(batch, {
        taskName: request.taskName,
        stage: 'map',
        parentId: Number(request.parentId),
        jobParams: batch.jobParams,
        maps: item,
        extra: batch.taskType === 'mapReduce' ? { mrStage: MapReduceStage.MAP } : {},
      }),
    );
    // Dispatched after this reply, as the server does.
    setImmediate(() => {
      for (const child of children) void this.dispatch(batch, child);
    });
    return wireResult(1, true);
  }

  private logLines(entries: JobLogTaskRequest[]): void {
    for (const entry of Array.isArray(entries) ? entries : []) {
      const batch = this.batches.get(Number(entry.taskBatchId));
      if (!batch) continue;
      const field = (name: string) => entry.fieldList.find((f) => f.name === name)?.value;
      const throwable = field('throwable');
      batch.logs.push({
        taskId: Number(entry.taskId),
        level: (field('level') ?? 'INFO') as RemoteLogLevel,
        message: field('message') ?? '',
        ...(throwable !== undefined ? { throwable } : {}),
        location: field('location') ?? '',
        time: Number(field('time_stamp') ?? entry.realTime),
      });
    }
  }

  /** When no task is open: the next map-reduce phase, or the end of the batch. */
  private check(batch: Batch): void {
    if (batch.open > 0 || batch.status !== undefined) return;
    const views = batch.tasks.map((t) => t.view);
    if (views.some((t) => t.status === 'failure')) {
      void this.end(batch, 'failure');
      return;
    }
    if (batch.taskType === 'mapReduce') {
      const reduces = batch.tasks.filter((t) => t.view.stage === 'reduce');
      if (reduces.length === 0) {
        const leaves = batch.tasks.filter((t) => t.view.stage === 'map' && !t.view.parent);
        const results = leaves.map((t) => t.stored ?? null);
        const parts = Math.min(Math.max(1, batch.input.reduceShards ?? 1), results.length);
        if (parts > 0) {
          const created = partition(results, parts).map((maps) =>
            this.createTask(batch, {
              taskName: TaskName.REDUCE,
              stage: 'reduce',
              jobParams: batch.jobParams,
              maps,
              extra: { mrStage: MapReduceStage.REDUCE },
            }),
          );
          for (const task of created) void this.dispatch(batch, task);
          return;
        }
      } else if (reduces.length >= 2 && !batch.tasks.some((t) => t.view.stage === 'merge')) {
        const merge = this.createTask(batch, {
          taskName: TaskName.MERGE_REDUCE,
          stage: 'merge',
          jobParams: batch.jobParams,
          reduces: reduces.map((t) => t.stored ?? null),
          extra: { mrStage: MapReduceStage.MERGE_REDUCE },
        });
        void this.dispatch(batch, merge);
        return;
      }
    }
    void this.end(batch, 'success');
  }

  private async stop(batch: Batch): Promise<TestRun> {
    await this.end(batch, 'stopped');
    return batch.done;
  }

  /**
   * Ends the batch. A stopped or timed-out batch is stopped on the client too (the server does so on timeout as
   * well, besides the client's own timer); the run resolves once aborted handlers returned and logs arrived.
   */
  private async end(batch: Batch, status: TestRunStatus): Promise<void> {
    if (batch.status !== undefined) return;
    batch.status = status;
    clearTimeout(batch.timer);
    for (const task of batch.tasks) if (task.view.status === 'running') task.view.status = status;
    if (status === 'stopped' || status === 'timeout') {
      await this.client.stop({
        jobId: batch.base.jobId,
        taskBatchId: batch.id,
        groupName: batch.base.groupName,
      });
    }
    await this.client.settle();
    this.dispose(batch);
    batch.resolve(snapshot(batch, status));
  }

  private dispose(batch: Batch): void {
    clearTimeout(batch.timer);
    for (const waiter of batch.startWaiters) waiter.resolve();
    batch.startWaiters = [];
  }

  private whenStarted(batch: Batch): Promise<void> {
    return new Promise((resolve) => {
      batch.startWaiters.push({ count: batch.tasks.length, resolve });
      this.wakeStarted(batch);
    });
  }

  private wakeStarted(batch: Batch): void {
    const started = this.startedTasks - batch.startedBase;
    const ready = batch.startWaiters.filter((w) => started >= w.count || batch.status !== undefined);
    if (ready.length === 0) return;
    batch.startWaiters = batch.startWaiters.filter((w) => !ready.includes(w));
    // The client starts the handler on the turn after it counted it as started; wait for that turn to pass.
    setImmediate(() =>
      setImmediate(() => {
        for (const waiter of ready) waiter.resolve();
      }),
    );
  }
}

function snapshot(batch: Batch, status: TestRunStatus): TestRun {
  const tasks = batch.tasks.map((t) => ({ ...t.view }));
  const failed = tasks.find((t) => t.status === 'failure');
  return {
    taskBatchId: batch.id,
    status,
    result: batchResult(batch.taskType, tasks),
    message: (failed ?? tasks[tasks.length - 1])?.message,
    tasks,
    logs: [...batch.logs],
    mapRequests: [...batch.mapRequests],
    wfContext: { ...batch.wfContext },
  };
}

function batchResult(taskType: TestTaskType, tasks: TestTask[]): unknown {
  if (taskType === 'cluster' || taskType === 'broadcast') return tasks[0]?.result;
  if (taskType === 'mapReduce') {
    const merge = tasks.find((t) => t.stage === 'merge');
    if (merge) return merge.result;
    const reduces = tasks.filter((t) => t.stage === 'reduce');
    return reduces.length === 1 ? reduces[0]!.result : reduces.map((t) => t.result);
  }
  if (taskType === 'map') return tasks.filter((t) => !t.parent).map((t) => t.result);
  return tasks.map((t) => t.result);
}

/** Contiguous chunks whose sizes differ by at most one, larger first (the server's REDUCE split). */
function partition<T>(items: T[], parts: number): T[][] {
  const size = Math.floor(items.length / parts);
  const extra = items.length % parts;
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + size + (i < extra ? 1 : 0);
    chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}
