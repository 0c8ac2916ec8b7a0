import { httpBaseUrl } from '../common/http-url.js';
import { Header } from '../protocol/headers.js';
import { SnailJobOpenApiError } from './snail-job-open-api.error.js';
import type {
  AddJobByBizIdRequest,
  AddJobRequest,
  JobBatchResponse,
  JobExistsResponse,
  JobResponse,
  OpenApiEnvelope,
  OpenApiStatus,
  UpdateJobByBizIdRequest,
  UpdateJobRequest,
  WorkflowBatchResponse,
  WorkflowExistsResponse,
} from './open-api.types.js';

/** How to reach the server's OpenAPI and whom to call it as. */
export interface SnailJobOpenApiConfig {
  /** The server's HTTP root with its context path, e.g. `http://127.0.0.1:8080/snail-job`. */
  baseUrl: string;
  namespace: string;
  groupName: string;
  token: string;
  /** Local timeout of one call, in ms. @default 10000 */
  timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * A typed client of SnailJob 2.0.2's OpenAPI: the calls of the Java client's `SnailJobOpenApi` and
 * `SnailJobBizIdOpenApi`, one method each. Every call sends `namespace`, `group-name` and `token` headers and
 * resolves to the envelope's `data`; failures reject with {@link SnailJobOpenApiError}. Calls are never retried
 * (add and trigger are not idempotent).
 */
export class SnailJobOpenApi {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly config: SnailJobOpenApiConfig) {
    const baseUrl = httpBaseUrl(config.baseUrl);
    if (baseUrl === undefined) {
      throw new TypeError(
        `SnailJobOpenApi: baseUrl must be an http(s) URL with the server's context path, e.g. "http://127.0.0.1:8080/snail-job"; got ${JSON.stringify(config.baseUrl)}`,
      );
    }
    this.baseUrl = baseUrl;
    this.timeoutMs = config.timeoutMs ?? 10_000;
  }

  // ---- jobs by id (JobApi) ----------------------------------------------------------------------------------

  /** Adds a job to the configured group; resolves to its id. */
  addJob(job: AddJobRequest): Promise<number> {
    return this.call<number>('POST', '/api/job/add', { ...job, groupName: this.config.groupName });
  }

  /** Updates the fields given; resolves to whether the server changed the job. */
  updateJob(job: UpdateJobRequest): Promise<boolean> {
    return this.call<boolean>('PUT', '/api/job/update', { ...job, groupName: this.config.groupName });
  }

  /** Enables (1) or disables (0) a job. */
  updateJobStatus(id: number, status: OpenApiStatus): Promise<boolean> {
    return this.call<boolean>('PUT', '/api/job/update/status', { id, status });
  }

  enableJob(id: number): Promise<boolean> {
    return this.updateJobStatus(id, 1);
  }

  disableJob(id: number): Promise<boolean> {
    return this.updateJobStatus(id, 0);
  }

  /** Runs a job now (a new batch); `tmpArgsStr` replaces its arguments for this run. */
  triggerJob(jobId: number, tmpArgsStr?: string): Promise<boolean> {
    return this.call<boolean>('POST', '/api/job/trigger', { jobId, tmpArgsStr });
  }

  /** The job, or null when the group has no job with this id. */
  async getJob(id: number): Promise<JobResponse | null> {
    const job = await this.callNullable<JobResponse>('GET', `/api/job/detail/id?id=${id}`);
    // For an unknown id 2.0.2 answers a JobApiResponse whose every field is null (JobApi.getJobById converts
    // the missing row); that is "no such job" here.
    return job?.id == null ? null : job;
  }

  jobExists(id: number): Promise<JobExistsResponse | null> {
    return this.callNullable<JobExistsResponse>('GET', `/api/job/exists?id=${id}`);
  }

  /** Deletes up to 100 jobs of the group. */
  deleteJobs(ids: readonly number[]): Promise<boolean> {
    return this.call<boolean>('DELETE', '/api/job/delete', [...ids]);
  }

  // ---- jobs by bizId (JobApi, SnailJobBizIdOpenApi) ----------------------------------------------------------

  addJobByBizId(job: AddJobByBizIdRequest): Promise<number> {
    return this.call<number>('POST', '/api/job/bizId/add', { ...job, groupName: this.config.groupName });
  }

  updateJobByBizId(job: UpdateJobByBizIdRequest): Promise<boolean> {
    return this.call<boolean>('PUT', '/api/job/bizId/update', { ...job, groupName: this.config.groupName });
  }

  updateJobStatusByBizId(bizId: string, status: OpenApiStatus): Promise<boolean> {
    return this.call<boolean>('PUT', '/api/job/bizId/updateStatus', { bizId, status });
  }

  triggerJobByBizId(bizId: string, tmpArgsStr?: string): Promise<boolean> {
    return this.call<boolean>('POST', '/api/job/bizId/trigger', { bizId, tmpArgsStr });
  }

  /** The job, or null when the group has no job with this bizId. */
  async getJobByBizId(bizId: string): Promise<JobResponse | null> {
    const job = await this.callNullable<JobResponse>(
      'GET',
      `/api/job/bizId/detail?bizId=${encodeURIComponent(bizId)}`,
    );
    return job?.id == null ? null : job;
  }

  jobExistsByBizId(bizId: string): Promise<JobExistsResponse | null> {
    return this.callNullable<JobExistsResponse>(
      'GET',
      `/api/job/bizId/exists?bizId=${encodeURIComponent(bizId)}`,
    );
  }

  deleteJobsByBizId(bizIds: readonly string[]): Promise<boolean> {
    return this.call<boolean>('DELETE', '/api/job/bizId/delete', { bizIds: [...bizIds] });
  }

  // ---- job batches (JobBatchApi) -------------------------------------------------------------------------------

  /** One run of a job (a batch), or null when there is none with this id. */
  getJobBatch(id: number): Promise<JobBatchResponse | null> {
    // `/api/job-batch/detail/{id}`: the server reads the id from the query parameter.
    return this.callNullable<JobBatchResponse>('GET', `/api/job-batch/detail/${id}?id=${id}`);
  }

  // ---- workflows (WorkflowApi) ---------------------------------------------------------------------------------

  /** Runs a workflow now; `tmpWfContext` is a JSON object text merged into the run's context. */
  triggerWorkflow(workflowId: number, tmpWfContext?: string): Promise<boolean> {
    // `WorkflowTriggerApiRequest` still requires its deprecated `jobId`: the Java client sends the workflow id.
    return this.call<boolean>('POST', '/api/workflow/trigger', {
      jobId: workflowId,
      workflowId,
      tmpWfContext,
    });
  }

  updateWorkflowStatus(id: number, status: OpenApiStatus): Promise<boolean> {
    return this.call<boolean>('PUT', '/api/workflow/update/status', { id, status });
  }

  workflowExists(id: number): Promise<WorkflowExistsResponse | null> {
    return this.callNullable<WorkflowExistsResponse>('GET', `/api/workflow/exists?id=${id}`);
  }

  deleteWorkflows(ids: readonly number[]): Promise<boolean> {
    return this.call<boolean>('DELETE', '/api/workflow/delete', [...ids]);
  }

  /** Runs a workflow by bizId; `tmpWfContext` as for {@link triggerWorkflow}. */
  triggerWorkflowByBizId(bizId: string, tmpWfContext?: string): Promise<boolean> {
    // 2.0.2's `WorkflowTriggerBizIdRequest` inherits a required `workflowId` that the server never reads: it looks
    // the workflow up by bizId (AbstractWorkflowService.triggerWorkflowByBizId), so 0 satisfies the validation.
    return this.call<boolean>('POST', '/api/workflow/bizId/trigger', { bizId, workflowId: 0, tmpWfContext });
  }

  updateWorkflowStatusByBizId(bizId: string, status: OpenApiStatus): Promise<boolean> {
    return this.call<boolean>('PUT', '/api/workflow/bizId/updateStatus', { bizId, status });
  }

  workflowExistsByBizId(bizId: string): Promise<WorkflowExistsResponse | null> {
    return this.callNullable<WorkflowExistsResponse>(
      'GET',
      `/api/workflow/bizId/exists?bizId=${encodeURIComponent(bizId)}`,
    );
  }

  deleteWorkflowsByBizId(bizIds: readonly string[]): Promise<boolean> {
    return this.call<boolean>('DELETE', '/api/workflow/bizId/delete', [...bizIds]);
  }

  // ---- workflow batches (WorkflowBatchApi) ---------------------------------------------------------------------

  /** One run of a workflow with its nodes and their job batches, or null when there is none with this id. */
  getWorkflowBatch(id: number): Promise<WorkflowBatchResponse | null> {
    return this.callNullable<WorkflowBatchResponse>('GET', `/api/workflow-batch/detail/id?id=${id}`);
  }

  // ---- transport -----------------------------------------------------------------------------------------------

  private async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const data = await this.callNullable<T>(method, path, body);
    if (data === null) {
      const where = `${method} ${path.split('?')[0]}`;
      throw new SnailJobOpenApiError(`${where}: the server answered no data`, {
        kind: 'invalid',
        path: where,
        httpStatus: 200,
        serverStatus: 1,
      });
    }
    return data;
  }

  private async callNullable<T>(method: Method, path: string, body?: unknown): Promise<T | null> {
    const where = `${method} ${path.split('?')[0]}`;
    const headers: Record<string, string> = {
      [Header.NAMESPACE]: this.config.namespace,
      [Header.GROUP_NAME]: this.config.groupName,
      [Header.TOKEN]: this.config.token,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new SnailJobOpenApiError(
          `${where}: no answer from ${this.baseUrl} within ${this.timeoutMs} ms (the call may still take effect)`,
          { kind: 'timeout', path: where, cause: error },
        );
      }
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new SnailJobOpenApiError(
        `${where}: the SnailJob server at ${this.baseUrl} cannot be reached (${cause})`,
        { kind: 'unreachable', path: where, cause: error },
      );
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      throw new SnailJobOpenApiError(
        `${where}: HTTP ${res.status} from ${this.baseUrl}${text ? `: ${text.slice(0, 200)}` : ''}`,
        { kind: 'http', path: where, httpStatus: res.status },
      );
    }
    let envelope: OpenApiEnvelope<T>;
    try {
      envelope = JSON.parse(text) as OpenApiEnvelope<T>;
    } catch (error) {
      throw new SnailJobOpenApiError(`${where}: the answer is not JSON: ${text.slice(0, 200)}`, {
        kind: 'invalid',
        path: where,
        httpStatus: res.status,
        cause: error,
      });
    }
    if (envelope === null || typeof envelope !== 'object' || typeof envelope.status !== 'number') {
      throw new SnailJobOpenApiError(
        `${where}: the answer is not SnailJob's envelope: ${text.slice(0, 200)}`,
        { kind: 'invalid', path: where, httpStatus: res.status },
      );
    }
    if (envelope.status !== 1) {
      const message = envelope.message ?? '';
      throw new SnailJobOpenApiError(`${where}: ${message || 'refused'}`, {
        kind: 'refused',
        path: where,
        httpStatus: res.status,
        serverStatus: envelope.status,
        serverMessage: message,
      });
    }
    return envelope.data ?? null;
  }
}
