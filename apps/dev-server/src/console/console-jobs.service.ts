import { Injectable } from '@nestjs/common';
import { parseJobInput } from '../api/job.input.js';
import { InputReader } from '../api/input-reader.js';
import { type JobView, jobView } from '../api/views.js';
import { type IdInput, parseId } from '../common/ids.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { NotFoundError } from '../errors/not-found.error.js';
import type { Job } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { GroupRegistry } from '../registry/group.registry.js';
import { WorkflowStore } from '../workflows/workflow.store.js';

/** 1 enabled, 0 disabled (`StatusEnum` in snail-job-common). */
const ENABLED = 1;
const DISABLED = 0;

/** The console's job edits: update, enable/disable, delete (what `JobController`'s PUT and DELETE do). */
@Injectable()
export class ConsoleJobs {
  constructor(
    private readonly store: JobStore,
    private readonly groups: GroupRegistry,
    private readonly workflows: WorkflowStore,
  ) {}

  /** Applies the given fields over the job (a partial body); id, bizId and creation time stay. */
  update(id: IdInput, body: unknown): JobView {
    const job = this.job(id);
    const patch = new InputReader('Job', body);
    const { id: _id, ...current } = jobView(job);
    const draft = parseJobInput({ ...current, ...(body as object) });
    if (patch.has('bizId') && draft.bizId !== job.bizId)
      throw new InvalidInputError(`Job ${job.id}: "bizId" cannot change (it is ${job.bizId}).`);
    if (!this.groups.find(draft.namespaceId, draft.groupName)) {
      throw new InvalidInputError(
        `Group "${draft.groupName}" in namespace "${draft.namespaceId}" is not registered; add it with POST /api/groups first.`,
      );
    }
    Object.assign(job, { ...draft, bizId: job.bizId, jobName: draft.jobName || job.jobName });
    return jobView(job);
  }

  /** Body `{jobStatus: 0 | 1}`; idempotent like `doUpdateJobStatus`. */
  setStatus(id: IdInput, body: unknown): JobView {
    const job = this.job(id);
    const r = new InputReader('Job status', body);
    if (!r.has('jobStatus')) r.fail('jobStatus', `${ENABLED} (enabled) or ${DISABLED} (disabled)`);
    job.jobStatus = r.int('jobStatus', ENABLED, DISABLED, ENABLED);
    return jobView(job);
  }

  /**
   * Deletes a disabled job that no workflow uses, as `AbstractJobService.deleteJobByIds` requires; its
   * batches and logs stay.
   */
  remove(id: IdInput): void {
    const job = this.job(id);
    if (job.jobStatus !== DISABLED)
      throw new InvalidInputError(`Job ${job.id} is enabled: disable it before deleting it.`);
    const users = this.workflows.allWorkflows().filter((w) => w.nodes.some((n) => n.jobId === job.id));
    if (users.length > 0) {
      throw new InvalidInputError(
        `Job ${job.id} is used by workflow(s) ${users.map((w) => `${w.id} (${w.name})`).join(', ')}; it cannot be deleted.`,
      );
    }
    this.store.removeJob(job.id);
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
