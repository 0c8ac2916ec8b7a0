import { Injectable } from '@nestjs/common';
import { type ApiId, type IdInput, parseId, toApiId } from '../common/ids.js';
import { IdGenerator } from '../common/id.generator.js';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { NotFoundError } from '../errors/not-found.error.js';
import { WaitTimeoutError } from '../errors/wait-timeout.error.js';
import { BatchStopper } from '../jobs/batch-stopper.service.js';
import { BatchTrigger } from '../jobs/batch-trigger.service.js';
import { OperationReason } from '../jobs/job.enums.js';
import { type Batch, isBatchFinished, type Job } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { RetryService } from '../jobs/retry.service.js';
import { TaskLogStore } from '../logs/task-log.store.js';
import { GroupRegistry } from '../registry/group.registry.js';
import { parseJobInput, parseTriggerInput } from './job.input.js';
import { Waiters } from './waiters.service.js';
import {
  type BatchView,
  batchView,
  type JobView,
  jobView,
  type LogEntryView,
  logEntryViews,
} from './views.js';

const SNOWFLAKE_EPOCH = 1_288_834_974_657n;

/** Jobs, batches and logs: the operations behind `/api/jobs`, `/api/trigger`, `/api/batches`, `/api/tasks`. */
@Injectable()
export class JobsApi {
  private bizSeq = 0n;

  constructor(
    private readonly ids: IdGenerator,
    private readonly store: JobStore,
    private readonly groups: GroupRegistry,
    private readonly trigger: BatchTrigger,
    private readonly stopper: BatchStopper,
    private readonly retries: RetryService,
    private readonly logs: TaskLogStore,
    private readonly waiters: Waiters,
  ) {}

  createJob(body: unknown): { id: ApiId } {
    const draft = parseJobInput(body);
    if (!this.groups.find(draft.namespaceId, draft.groupName)) {
      const known = this.groups
        .list()
        .map((g) => `${g.groupName} (${g.namespaceId})`)
        .join(', ');
      throw new InvalidInputError(
        `Group "${draft.groupName}" in namespace "${draft.namespaceId}" is not registered; add it with POST /api/groups (or the "groups" option). Known groups: ${known}.`,
      );
    }
    const id = this.ids.take();
    const job: Job = {
      ...draft,
      id,
      jobName: draft.jobName || `job-${id}`,
      bizId: draft.bizId ?? this.nextBizId(),
      createdAt: Date.now(),
    };
    this.store.addJob(job);
    return { id: toApiId(id) };
  }

  getJob(id: IdInput): JobView {
    return jobView(this.job(id));
  }

  listJobs(): JobView[] {
    return this.store.allJobs().map(jobView);
  }

  triggerJob(id: IdInput, body?: unknown): { taskBatchId: ApiId } {
    const batch = this.trigger.trigger(this.job(id), parseTriggerInput(body));
    return { taskBatchId: toApiId(batch.id) };
  }

  /** Create + trigger in one call; the body is a job plus an optional `tmpArgsStr`. */
  createAndTrigger(body: unknown): { jobId: ApiId; taskBatchId: ApiId } {
    const { id } = this.createJob(body);
    return {
      jobId: id,
      ...this.triggerJob(id, { tmpArgsStr: (body as { tmpArgsStr?: unknown }).tmpArgsStr }),
    };
  }

  getBatch(id: IdInput, tree = false): BatchView {
    const batch = this.batch(id);
    return batchView(batch, this.store.tasksOf(batch.id), tree);
  }

  listBatches(jobId?: IdInput): BatchView[] {
    const job = jobId === undefined ? undefined : this.job(jobId).id;
    return this.store.allBatches(job).map((b) => batchView(b, this.store.tasksOf(b.id)));
  }

  /** Resolves once the batch is finished; throws {@link WaitTimeoutError} (HTTP 408) with its state otherwise. */
  async waitForBatch(id: IdInput, timeoutMs: number, tree = false): Promise<BatchView> {
    const batch = this.batch(id);
    const done = await this.waiters.until(() => isBatchFinished(batch.status), timeoutMs);
    const view = batchView(batch, this.store.tasksOf(batch.id), tree);
    if (!done) throw new WaitTimeoutError(`Batch ${batch.id}`, timeoutMs, view);
    return view;
  }

  /** Manual stop (reason MANNER_STOP): every row is stopped; a no-op on a finished batch. */
  stopBatch(id: IdInput): BatchView {
    const batch = this.batch(id);
    this.stopper.forceStop(batch, OperationReason.MANNER_STOP);
    return batchView(batch, this.store.tasksOf(batch.id));
  }

  /** The console's manual retry of a FAIL/STOP/CANCEL batch. */
  retryBatch(id: IdInput): BatchView {
    const batch = this.batch(id);
    if (!this.retries.retryBatch(batch)) {
      throw new InvalidInputError(
        `Batch ${batch.id} cannot be retried: only FAIL, STOP and CANCEL batches can.`,
      );
    }
    return batchView(batch, this.store.tasksOf(batch.id));
  }

  taskLogs(taskId: IdInput): LogEntryView[] {
    return logEntryViews(this.logs.forTask(this.parse('Task', taskId)));
  }

  batchLogs(batchId: IdInput): LogEntryView[] {
    return logEntryViews(this.logs.forBatch(this.parse('Batch', batchId)));
  }

  private job(id: IdInput): Job {
    const key = this.parse('Job', id);
    return this.store.job(key) ?? this.notFound('Job', key);
  }

  private batch(id: IdInput): Batch {
    const key = this.parse('Batch', id);
    return this.store.batch(key) ?? this.notFound('Batch', key);
  }

  private parse(kind: string, id: IdInput): bigint {
    const key = parseId(id);
    if (key === undefined)
      throw new InvalidInputError(`${kind} id must be an integer; got ${JSON.stringify(String(id))}.`);
    return key;
  }

  private notFound(kind: string, id: bigint): never {
    throw new NotFoundError(kind, id);
  }

  private nextBizId(): string {
    return String(((BigInt(Date.now()) - SNOWFLAKE_EPOCH) << 22n) | (this.bizSeq++ & 0x3fffffn));
  }
}
