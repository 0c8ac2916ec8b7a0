import { createHash, randomUUID } from 'node:crypto';
import { DEFAULT_NAMESPACE, parseJson } from 'nestjs-snail-job/protocol';
import WebSocket from 'ws';

/**
 * A client of the SnailJob 2.0.2 server's console API (`snail-job-server-web`, under the context path
 * `/snail-job`): what the web console itself calls, authenticated as the schema's `admin` user. Every
 * operation the tests need has an endpoint here, so no SQL is used.
 *
 * Evidence: the controllers in `snail-job-server-interface/snail-job-server-web/src/main/java/com/aizuda/
 * snailjob/server/web/controller/` (SystemUserController, GroupConfigController, JobController,
 * JobBatchController, JobTaskController, JobExecutorController, WorkflowController, WorkflowBatchController,
 * DashboardController) and, for logs, the websocket `socket/LogServer.java` + `listener/WsRequestListener.java`.
 */
export class SnailConsole {
  private token: string | undefined;

  constructor(
    /** e.g. `http://127.0.0.1:8080/snail-job` */
    readonly baseUrl: string,
    readonly namespaceId: string = DEFAULT_NAMESPACE,
  ) {}

  /**
   * Logs in. The console sends md5(password); the server compares sha256 of that with
   * `sj_system_user.password` (`SystemUserServiceImpl.validateUserPassword`).
   */
  async login(username = 'admin', password = 'admin'): Promise<void> {
    const md5 = createHash('md5').update(password).digest('hex');
    const user = await this.call<{ token: string }>(
      'POST',
      '/auth/login',
      { username, password: md5 },
      false,
    );
    this.token = user.token;
  }

  /** One console call; answers `data` of the `{status, message, data}` envelope, throws on status 0. */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    auth = true,
    query?: Record<string, string | number | undefined>,
  ): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth) {
      if (!this.token) await this.login();
      headers['SNAIL-JOB-AUTH'] = this.token!;
      headers['SNAIL-JOB-NAMESPACE-ID'] = this.namespaceId;
    }
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let envelope: { status?: number; message?: string; data?: unknown };
    try {
      envelope = parseJson(text) as typeof envelope;
    } catch {
      throw new Error(`${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
    }
    if (envelope.status !== 1) {
      throw new Error(
        `${method} ${path}: ${envelope.message ?? text.slice(0, 300)} (HTTP ${response.status})`,
      );
    }
    return envelope.data as T;
  }

  // --- groups -------------------------------------------------------------------------------------------

  /** Creates an enabled group with its token (`POST /group`). */
  async createGroup(groupName: string, token: string): Promise<void> {
    await this.call('POST', '/group', {
      groupName,
      token,
      groupStatus: 1,
      groupPartition: 0,
      idGeneratorMode: 2,
      initScene: 0,
      description: 'nestjs-snail-job e2e',
    });
  }

  // --- jobs ---------------------------------------------------------------------------------------------

  /**
   * Creates a job (`POST /job`) that never fires on its own: trigger type 99 (WORK_FLOW) is skipped by the
   * scan (`ScanJobTaskActor.listAvailableJobs`), while "execute" and workflow nodes run it.
   */
  async createJob(job: RealJobInput): Promise<string> {
    const id = await this.call<number | bigint>('POST', '/job', {
      jobStatus: 1,
      argsType: 1,
      routeKey: 4,
      executorType: 1,
      triggerType: 99,
      triggerInterval: '*',
      blockStrategy: 1,
      executorTimeout: 60,
      maxRetryTimes: 0,
      retryInterval: 1,
      parallelNum: 1,
      ...job,
    });
    return String(id);
  }

  /** The console's "execute" (`POST /job/trigger`); the server answers only `true`, no batch id. */
  async triggerJob(jobId: string, tmpArgsStr?: string): Promise<void> {
    await this.call('POST', '/job/trigger', { jobId, tmpArgsStr });
  }

  /** Every batch of a job, newest first (`GET /job/batch/list`, paged). */
  async batches(jobId: string): Promise<RealBatch[]> {
    const all: RealBatch[] = [];
    for (let page = 1; ; page++) {
      const rows = await this.call<RealBatch[]>('GET', '/job/batch/list', undefined, true, {
        jobId,
        page,
        size: 500,
      });
      all.push(...rows.map(normaliseIds));
      if (rows.length < 500) return all;
    }
  }

  /** One batch (`GET /job/batch/{id}`). */
  async batch(id: string): Promise<RealBatch> {
    return normaliseIds(await this.call<RealBatch>('GET', `/job/batch/${id}`));
  }

  /**
   * All tasks of a batch, every level: `GET /job/task/tree/list` without `parentId` (the paged
   * `/job/task/list` shows top-level tasks only: `JobTaskServiceImpl.getJobTaskPage` filters parentId = 0).
   */
  async tasks(taskBatchId: string): Promise<RealTask[]> {
    const rows = await this.call<RealTask[]>('GET', '/job/task/tree/list', undefined, true, { taskBatchId });
    return rows.map(normaliseIds);
  }

  /** The console's stop (`POST /job/batch/stop/{id}`). */
  async stopBatch(id: string): Promise<void> {
    await this.call('POST', `/job/batch/stop/${id}`);
  }

  /** The console's retry of a finished batch (`POST /job/batch/retry/{id}`). */
  async retryBatch(id: string): Promise<void> {
    await this.call('POST', `/job/batch/retry/${id}`);
  }

  /** Executor names registered for a group (`GET /job/executor/list`), as the job form's drop-down. */
  async executors(groupName: string): Promise<string[]> {
    return this.call<string[]>('GET', '/job/executor/list', undefined, true, { groupName });
  }

  /** Client nodes of a group (`GET /dashboard/pods`, nodeType 1 = client). */
  async pods(groupName: string): Promise<RealPod[]> {
    const rows = await this.call<RealPod[]>('GET', '/dashboard/pods', undefined, true, {
      groupName,
      page: 1,
      size: 100,
    });
    return rows.filter((r) => r.nodeType === 1);
  }

  // --- workflows ----------------------------------------------------------------------------------------

  /**
   * Creates a workflow of job nodes run one after another (`POST /workflow`); the server answers `true`, so
   * the id is looked up by name (`GET /workflow/page/list`).
   */
  async createChainWorkflow(input: {
    groupName: string;
    workflowName: string;
    jobIds: string[];
    wfContext?: string;
    executorTimeout?: number;
    failStrategy?: number;
  }): Promise<string> {
    type NodeConfig = { nodeType: number; conditionNodes: unknown[] };
    let child: NodeConfig | undefined;
    for (let i = input.jobIds.length - 1; i >= 0; i--) {
      child = {
        nodeType: 1,
        conditionNodes: [
          {
            nodeName: `node-${i + 1}`,
            workflowNodeStatus: 1,
            priorityLevel: 1,
            failStrategy: input.failStrategy ?? 1,
            jobTask: { jobId: input.jobIds[i] },
            ...(child ? { childNode: child } : {}),
          },
        ],
      };
    }
    await this.call('POST', '/workflow', {
      groupName: input.groupName,
      workflowName: input.workflowName,
      // a closed workflow is never scanned, yet "execute" runs it (AbstractWorkflowService.trigger checks only
      // the group); 99 (WORK_FLOW) is refused here ("Wait strategy type does not exist")
      triggerType: 2,
      triggerInterval: '86400',
      executorTimeout: input.executorTimeout ?? 60,
      blockStrategy: 1,
      workflowStatus: 0,
      wfContext: input.wfContext,
      nodeConfig: child,
    });
    const rows = await this.call<{ id: number | bigint; workflowName: string }[]>(
      'GET',
      '/workflow/page/list',
      undefined,
      true,
      { groupName: input.groupName, workflowName: input.workflowName, page: 1, size: 10 },
    );
    const found = rows.find((r) => r.workflowName === input.workflowName);
    if (!found) throw new Error(`workflow ${input.workflowName} not found after creating it`);
    return String(found.id);
  }

  /** Runs a workflow now (`POST /workflow/trigger`); answers `true` only. */
  async triggerWorkflow(workflowId: string, tmpWfContext?: string): Promise<void> {
    await this.call('POST', '/workflow/trigger', { workflowId, tmpWfContext });
  }

  /** Runs of a workflow, newest first (`GET /workflow/batch/page/list`). */
  async workflowBatches(workflowId: string): Promise<{ id: string; taskBatchStatus: number }[]> {
    const rows = await this.call<{ id: number | bigint; taskBatchStatus: number }[]>(
      'GET',
      '/workflow/batch/page/list',
      undefined,
      true,
      { workflowId, page: 1, size: 100 },
    );
    return rows.map((r) => ({ id: String(r.id), taskBatchStatus: r.taskBatchStatus }));
  }

  /** A workflow run with its context and per-node batches (`GET /workflow/batch/{id}`). */
  async workflowBatch(id: string): Promise<RealWorkflowBatch> {
    return this.call<RealWorkflowBatch>('GET', `/workflow/batch/${id}`);
  }

  /** Stops a workflow run (`POST /workflow/batch/stop/{id}`). */
  async stopWorkflowBatch(id: string): Promise<void> {
    await this.call('POST', `/workflow/batch/stop/${id}`);
  }

  // --- logs ---------------------------------------------------------------------------------------------

  /**
   * A task's log lines as the console shows them: over the websocket `/websocket?Snail-Job-Auth=…&sid=…&
   * scene=JOB_LOG_SCENE`, one request `{taskBatchId, taskId}`, then one message per line (the stored
   * fields) until `END` (sent once the batch has been finished for 15 s) or `idleMs` without a message.
   */
  async taskLogs(taskBatchId: string, taskId: string, idleMs = 3_000): Promise<Record<string, string>[]> {
    if (!this.token) await this.login();
    const wsUrl = new URL(`${this.baseUrl.replace(/^http/, 'ws')}/websocket`);
    wsUrl.searchParams.set('Snail-Job-Auth', this.token!);
    wsUrl.searchParams.set('sid', randomUUID());
    wsUrl.searchParams.set('scene', 'JOB_LOG_SCENE');
    const ws = new WebSocket(wsUrl);
    const lines: Record<string, string>[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let idle: NodeJS.Timeout | undefined;
        const bump = () => {
          clearTimeout(idle);
          idle = setTimeout(() => resolve(), idleMs);
        };
        ws.once('error', reject);
        ws.once('open', () => {
          ws.send(JSON.stringify({ taskBatchId, taskId, size: 50 }));
          bump();
        });
        ws.on('message', (data) => {
          const text = String(data);
          if (text === 'END') {
            clearTimeout(idle);
            resolve();
            return;
          }
          lines.push(JSON.parse(text) as Record<string, string>);
          bump();
        });
      });
    } finally {
      ws.close();
    }
    return lines;
  }
}

/** Fields of `POST /job` (`JobRequest`); unset ones get the defaults of {@link SnailConsole.createJob}. */
export interface RealJobInput {
  groupName: string;
  jobName: string;
  executorInfo: string;
  taskType: number;
  argsStr?: string;
  parallelNum?: number;
  executorTimeout?: number;
  maxRetryTimes?: number;
  retryInterval?: number;
  routeKey?: number;
  blockStrategy?: number;
  labels?: string;
  executorType?: number;
}

/** `JobBatchResponse`, ids as strings. */
export interface RealBatch {
  id: string;
  jobId: string;
  taskBatchStatus: number;
  operationReason: number;
  workflowTaskBatchId?: string | null;
  workflowNodeId?: string | null;
  createDt: string;
  updateDt: string;
}

/** `JobTaskResponseVO`, ids as strings. */
export interface RealTask {
  id: string;
  taskBatchId: string;
  parentId: string;
  taskName: string;
  taskStatus: number;
  retryCount: number;
  resultMessage: string | null;
  clientInfo: string | null;
  argsStr: string | null;
  extAttrs: string | null;
  isLeaf: boolean;
}

/** `ServerNodeResponseVO` of a client node. */
export interface RealPod {
  groupName: string;
  hostId: string;
  hostIp: string;
  hostPort: number;
  nodeType: number;
  labels: string | null;
  extAttrs: string | null;
}

/** `WorkflowDetailResponse` of a run. */
export interface RealWorkflowBatch {
  workflowBatchStatus: number;
  wfContext: string | null;
  nodeConfig: unknown;
}

const ID_KEYS = ['id', 'jobId', 'taskBatchId', 'parentId', 'workflowTaskBatchId', 'workflowNodeId'];

function normaliseIds<T>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const k of ID_KEYS) {
    const v = out[k];
    if (typeof v === 'number' || typeof v === 'bigint') out[k] = String(v);
  }
  return out as T;
}
