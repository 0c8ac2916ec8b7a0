import { Injectable } from '@nestjs/common';
import { InputReader } from '../api/input-reader.js';
import { parseJobInput } from '../api/job.input.js';
import { type JobView, jobView } from '../api/views.js';
import { type IdInput, parseId } from '../common/ids.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { NotFoundError } from '../errors/not-found.error.js';
import type { Job } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import type { JobRequest } from '../openapi/openapi-requests.js';
import { OpenApiError } from '../openapi/openapi-result.js';
import { OpenApiService } from '../openapi/openapi.service.js';
import { WorkflowStore } from '../workflows/workflow.store.js';

/** 1 enabled, 0 disabled (`StatusEnum` in snail-job-common). */
const ENABLED = 1;
const DISABLED = 0;
/** `TriggerTypeEnum.WORKFLOW`. */
const WORKFLOW_ONLY = 99;

/**
 * The console's job edits — update, enable/disable, delete — validated with the dev API's field messages,
 * then applied by the same code as SnailJob's OpenAPI (`AbstractJobService`: schedule recomputed on update
 * and on enabling, group and bizId fixed, only disabled jobs that no workflow uses deleted).
 */
@Injectable()
export class ConsoleJobs {
  constructor(
    private readonly store: JobStore,
    private readonly workflows: WorkflowStore,
    private readonly openApi: OpenApiService,
  ) {}

  /** Applies the given fields over the job (a partial body). */
  update(id: IdInput, body: unknown): JobView {
    const job = this.job(id);
    const patch = new InputReader('Job', body);
    for (const fixed of ['groupName', 'namespaceId', 'bizId'] as const) {
      if (patch.has(fixed) && patch.raw(fixed) !== job[fixed])
        throw new InvalidInputError(`Job ${job.id}: "${fixed}" cannot change (it is "${job[fixed]}").`);
    }
    const { id: _id, nextTriggerAt: _next, ...current } = jobView(job);
    // The schedule is validated only when the body changes it (the stored form is not the input form).
    const schedule = { triggerType: undefined, triggerInterval: undefined };
    const draft = parseJobInput({ ...current, ...schedule, ...(body as object) });
    const req: JobRequest = {
      id: Number(job.id),
      jobName: draft.jobName || job.jobName,
      jobStatus: draft.jobStatus,
      argsStr: draft.argsStr ?? '',
      routeKey: draft.routeKey,
      executorType: draft.executorType,
      executorInfo: draft.executorInfo,
      blockStrategy: draft.blockStrategy,
      executorTimeout: draft.executorTimeout,
      maxRetryTimes: draft.maxRetryTimes,
      retryInterval: draft.retryInterval,
      taskType: draft.taskType,
      parallelNum: draft.parallelNum,
      labels: JSON.stringify(draft.labels),
      ...(patch.has('triggerType')
        ? { triggerType: draft.triggerType, triggerInterval: draft.triggerInterval }
        : job.triggerType === undefined
          ? // A dev-API job without a schedule: "workflow only" (99), never scheduled by itself, as its view says.
            { triggerType: WORKFLOW_ONLY, triggerInterval: '*' }
          : {}),
    };
    this.openApiCall(() => this.openApi.updateJob(req));
    return jobView(job);
  }

  /** Body `{jobStatus: 0 | 1}`; idempotent, and enabling recomputes the next trigger time. */
  setStatus(id: IdInput, body: unknown): JobView {
    const job = this.job(id);
    const r = new InputReader('Job status', body);
    if (!r.has('jobStatus')) r.fail('jobStatus', `${ENABLED} (enabled) or ${DISABLED} (disabled)`);
    const status = r.int('jobStatus', ENABLED, DISABLED, ENABLED);
    this.openApiCall(() => this.openApi.updateJobStatus(Number(job.id), status));
    return jobView(job);
  }

  /** Deletes a disabled job that no workflow uses; its batches and logs stay. */
  remove(id: IdInput): void {
    const job = this.job(id);
    if ((job.jobStatus ?? ENABLED) !== DISABLED)
      throw new InvalidInputError(`Job ${job.id} is enabled: disable it before deleting it.`);
    const users = this.workflows.allWorkflows().filter((w) => w.nodes.some((n) => n.jobId === job.id));
    if (users.length > 0) {
      throw new InvalidInputError(
        `Job ${job.id} is used by workflow(s) ${users.map((w) => `${w.id} (${w.name})`).join(', ')}; it cannot be deleted.`,
      );
    }
    this.openApiCall(() =>
      this.openApi.deleteJobs({ namespaceId: job.namespaceId, groupName: job.groupName }, [Number(job.id)]),
    );
  }

  /** The server's own refusals (e.g. "Expression parsing error") as 400s. */
  private openApiCall(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof OpenApiError) throw new InvalidInputError(e.message);
      throw e;
    }
  }

  private job(id: IdInput): Job {
    const key = parseId(id);
    if (key === undefined)
      throw new InvalidInputError(`Job id must be an integer; got ${JSON.stringify(String(id))}.`);
    return this.store.job(key) ?? this.notFound(key);
  }

  private notFound(id: bigint): never {
    throw new NotFoundError('Job', id);
  }
}
