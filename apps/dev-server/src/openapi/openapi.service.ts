import { Injectable } from '@nestjs/common';
import { parseWfContext, type TaskType } from 'nestjs-snail-job/protocol';
import { toApiId } from '../common/ids.js';
import { IdGenerator } from '../common/id.generator.js';
import { BatchTrigger } from '../jobs/batch-trigger.service.js';
import type { BlockStrategy } from '../jobs/job.enums.js';
import type { Job } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { GroupRegistry } from '../registry/group.registry.js';
import { parseLabels } from '../registry/labels.js';
import {
  checkTriggerInterval,
  isResident,
  nextTriggerAt,
  ScheduleError,
  ScheduleSystemError,
  storedTriggerInterval,
  TriggerType,
} from '../scheduling/trigger-interval.js';
import type { Workflow } from '../workflows/workflow.model.js';
import { WorkflowRunner } from '../workflows/workflow-runner.service.js';
import { WorkflowStore } from '../workflows/workflow.store.js';
import type { JobRequest } from './openapi-requests.js';
import { OpenApiError, OpenApiSystemError } from './openapi-result.js';
import {
  emptyJobResponse,
  jobBatchResponse,
  jobExistsResponse,
  jobResponse,
  workflowDetailResponse,
  workflowExistsResponse,
} from './openapi-views.js';

/** `SystemProperties.bucketTotal`. */
const BUCKET_TOTAL = 128;
const SNOWFLAKE_EPOCH = 1_288_834_974_657n;

/** hutool `HashUtil.bkdrHash` (seed 131, 31-bit). */
export function bkdrHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 131) + text.charCodeAt(i)) | 0;
  return hash & 0x7fffffff;
}

/** Who called: the `namespace` and `group-name` headers (the token already checked). */
export interface OpenApiCaller {
  namespaceId: string | undefined;
  groupName: string | undefined;
}

/** Runs `fn`, turning the trigger-interval helpers' errors into the server's answers. */
function schedule<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ScheduleError) throw new OpenApiError(e.message);
    if (e instanceof ScheduleSystemError) throw new OpenApiSystemError(e.message);
    throw e;
  }
}

/** 1 or 0 (`StatusEnum.of`); anything else is no status. */
const isStatus = (v: number | undefined): v is number => v === 0 || v === 1;

/**
 * The OpenAPI's operations as SnailJob 2.0.2 performs them
 * (`snail-job-server-service/.../service/impl/AbstractJobService.java`, `AbstractWorkflowService.java`,
 * `AbstractJobBatchService.java`, `AbstractWorkflowBatchService.java`), with the same checks in the same order and
 * the same messages.
 */
@Injectable()
export class OpenApiService {
  private bizSeq = 0n;

  constructor(
    private readonly ids: IdGenerator,
    private readonly jobs: JobStore,
    private readonly workflows: WorkflowStore,
    private readonly groups: GroupRegistry,
    private readonly trigger: BatchTrigger,
    private readonly runner: WorkflowRunner,
  ) {}

  // ---- jobs ---------------------------------------------------------------------------------------------

  addJob(caller: OpenApiCaller, req: JobRequest): number | string {
    const now = Date.now();
    const stored = schedule(() => storedTriggerInterval(req.triggerInterval, req.triggerType));
    const resident = schedule(() => {
      if (
        req.triggerInterval === undefined &&
        req.triggerType !== TriggerType.WORKFLOW &&
        req.triggerType !== TriggerType.POINT_IN_TIME
      ) {
        if (req.triggerType === TriggerType.FIXED || req.triggerType === TriggerType.CRON)
          throw new ScheduleSystemError('null trigger interval');
      }
      return isResident(req.triggerType, req.triggerInterval ?? '', now);
    });
    schedule(() => checkTriggerInterval(req.triggerInterval, req.triggerType, now));
    const next = schedule(() => nextTriggerAt(req.triggerType, stored, now));
    const namespaceId = caller.namespaceId ?? '';
    const bizId = req.bizId && req.bizId.trim() !== '' ? req.bizId : this.snowflake();
    // The columns without a default (`sj_job`): a missing one fails the insert.
    if (req.jobName === undefined) throw new OpenApiSystemError('job_name is NOT NULL');
    if (this.jobs.allJobs().some((j) => j.namespaceId === namespaceId && j.bizId === bizId)) {
      throw new OpenApiSystemError('duplicate key uk_sj_job_01');
    }
    const id = this.ids.take();
    const job: Job = {
      id,
      bizId,
      namespaceId,
      groupName: req.groupName!,
      jobName: req.jobName,
      executorInfo: req.executorInfo ?? '',
      executorType: req.executorType ?? 1,
      taskType: (req.taskType ?? 1) as TaskType,
      argsStr: req.argsStr,
      parallelNum: req.parallelNum ?? 1,
      executorTimeout: req.executorTimeout ?? 0,
      maxRetryTimes: req.maxRetryTimes ?? 0,
      retryInterval: req.retryInterval ?? 0,
      routeKey: req.routeKey ?? 4,
      blockStrategy: (req.blockStrategy ?? 1) as BlockStrategy,
      labels: this.labels(req.labels),
      labelsText: req.labels ?? '',
      createdAt: now,
      updatedAt: now,
      jobStatus: req.jobStatus ?? 1,
      triggerType: req.triggerType,
      triggerInterval: stored,
      nextTriggerAt: next,
      description: req.description ?? '',
      argsType: req.argsType ?? 1,
      notifyIds: req.notifyIds?.length ? JSON.stringify(req.notifyIds) : '',
      ownerId: req.ownerId,
      extAttrs: '',
      bucketIndex: bkdrHash(`${req.groupName}${req.jobName}`) % BUCKET_TOTAL,
      resident,
    };
    this.jobs.addJob(job);
    return toApiId(id);
  }

  addJobByBizId(caller: OpenApiCaller, req: JobRequest): number | string {
    if (this.jobByBizId(caller, req.bizId!)) throw new OpenApiError('bizId already exists');
    return this.addJob(caller, { ...req, id: undefined });
  }

  updateJob(req: JobRequest): boolean {
    if (req.id === undefined) throw new OpenApiError('ID cannot be empty');
    if (req.jobStatus !== undefined && !isStatus(req.jobStatus))
      throw new OpenApiError('Invalid status parameter');
    const job = this.jobs.job(BigInt(req.id));
    if (!job) throw new OpenApiError('Job is null, update failed');
    return this.doUpdateJob(req, job);
  }

  updateJobByBizId(caller: OpenApiCaller, req: JobRequest): boolean {
    if (!req.bizId || req.bizId.trim() === '') throw new OpenApiError('bizId cannot be empty');
    if (req.jobStatus !== undefined && !isStatus(req.jobStatus))
      throw new OpenApiError('Invalid status parameter');
    const job = this.jobByBizId(caller, req.bizId);
    if (!job) throw new OpenApiError('Job is null, update failed');
    return this.doUpdateJob({ ...req, id: Number(job.id) }, job);
  }

  /** `doUpdateJob`: absent fields keep their value; group and namespace never change. */
  private doUpdateJob(req: JobRequest, job: Job): boolean {
    const now = Date.now();
    const triggerType = req.triggerType ?? job.triggerType;
    const interval =
      req.triggerInterval === undefined || req.triggerInterval.trim() === ''
        ? (job.triggerInterval ?? '')
        : req.triggerInterval;
    const stored = schedule(() => storedTriggerInterval(interval, triggerType));
    const resident = schedule(() => isResident(triggerType, interval, now));
    schedule(() => checkTriggerInterval(req.triggerInterval, req.triggerType, now));
    const oldResident = job.resident ?? 0;
    // `JobKit.calculateNextTriggerAt(CalculateNextTriggerAtDTO)`: resident → resident keeps 0.
    let next: number;
    if (triggerType === TriggerType.WORKFLOW) next = 0;
    else if (oldResident === 0 && resident === 0)
      next = schedule(() => nextTriggerAt(triggerType, stored, now));
    else if (oldResident === 1 && resident === 0)
      next = schedule(() => nextTriggerAt(triggerType, stored, job.nextTriggerAt || now));
    else if (oldResident === 0 && resident === 1) next = now;
    else next = 0;

    const set = <K extends keyof Job>(key: K, value: Job[K] | undefined) => {
      if (value !== undefined) job[key] = value;
    };
    set('jobName', req.jobName);
    set('bizId', req.bizId);
    set('jobStatus', req.jobStatus);
    set('argsStr', req.argsStr);
    set('argsType', req.argsType);
    set('routeKey', req.routeKey);
    set('executorType', req.executorType);
    set('executorInfo', req.executorInfo);
    set('blockStrategy', req.blockStrategy as BlockStrategy | undefined);
    set('executorTimeout', req.executorTimeout);
    set('maxRetryTimes', req.maxRetryTimes);
    set('retryInterval', req.retryInterval);
    set('taskType', req.taskType as TaskType | undefined);
    set('parallelNum', req.parallelNum);
    set('description', req.description);
    set('ownerId', req.ownerId);
    if (req.labels !== undefined) {
      job.labels = this.labels(req.labels);
      job.labelsText = req.labels;
    }
    job.notifyIds = req.notifyIds?.length ? JSON.stringify(req.notifyIds) : '';
    job.triggerType = triggerType;
    job.triggerInterval = stored;
    job.resident = resident;
    job.nextTriggerAt = next;
    job.updatedAt = now;
    return true;
  }

  updateJobStatus(id: number, status: number): boolean {
    if (!isStatus(status)) throw new OpenApiError('Status cannot be empty');
    const job = this.jobs.job(BigInt(id));
    if (!job) throw new OpenApiError('update job status failed');
    return this.doUpdateJobStatus(job, status);
  }

  updateJobStatusByBizId(caller: OpenApiCaller, bizId: string, status: number): boolean {
    if (!isStatus(status)) throw new OpenApiError('Status cannot be empty');
    const job = this.jobByBizId(caller, bizId);
    if (!job) throw new OpenApiError('update job status failed');
    return this.doUpdateJobStatus(job, status);
  }

  private doUpdateJobStatus(job: Job, status: number): boolean {
    if ((job.jobStatus ?? 1) === status) return true;
    if (status === 1) {
      // Enabling recomputes the schedule from now.
      job.nextTriggerAt = schedule(() =>
        nextTriggerAt(job.triggerType, job.triggerInterval ?? '', Date.now()),
      );
    }
    job.jobStatus = status;
    job.updatedAt = Date.now();
    return true;
  }

  jobDetail(id: number) {
    const job = this.jobs.job(BigInt(id));
    return job ? jobResponse(job) : emptyJobResponse();
  }

  jobDetailByBizId(caller: OpenApiCaller, bizId: string) {
    const job = this.jobByBizId(caller, bizId);
    return job ? jobResponse(job) : null;
  }

  jobExists(id: number) {
    const job = this.jobs.job(BigInt(id));
    return job ? jobExistsResponse(job) : null;
  }

  jobExistsByBizId(caller: OpenApiCaller, bizId: string) {
    const job = this.jobByBizId(caller, bizId);
    return job ? jobExistsResponse(job) : null;
  }

  triggerJob(id: number, tmpArgsStr: string | undefined): boolean {
    const job = this.jobs.job(BigInt(id));
    if (!job) throw new OpenApiError('job can not be null.');
    return this.doTrigger(job, tmpArgsStr);
  }

  triggerJobByBizId(caller: OpenApiCaller, bizId: string, tmpArgsStr: string | undefined): boolean {
    const job = this.jobByBizId(caller, bizId);
    if (!job) throw new OpenApiError('job can not be null.');
    return this.doTrigger(job, tmpArgsStr);
  }

  /** A manual trigger: a new batch now, whatever runs (`JobTaskExecutorSceneEnum.MANUAL_JOB`). */
  private doTrigger(job: Job, tmpArgsStr: string | undefined): boolean {
    if (!this.groups.find(job.namespaceId, job.groupName)) {
      throw new OpenApiError(`Group [${job.groupName}] is closed, manual execution is not supported.`);
    }
    this.trigger.trigger(job, {
      manual: true,
      tmpArgsStr: tmpArgsStr !== undefined && tmpArgsStr.trim() !== '' ? tmpArgsStr : undefined,
    });
    return true;
  }

  deleteJobs(caller: OpenApiCaller, ids: number[]): boolean {
    const closed = ids
      .map((id) => this.jobs.job(BigInt(id)))
      .filter((j): j is Job => !!j && j.namespaceId === caller.namespaceId && (j.jobStatus ?? 1) === 0);
    if (closed.length !== ids.length) {
      throw new OpenApiError(
        'Failed to delete the scheduled task. Ensure the task is closed, and confirm whether the job exists.',
      );
    }
    return this.doDeleteJobs(closed);
  }

  deleteJobsByBizId(caller: OpenApiCaller, bizIds: string[]): boolean {
    const closed = this.jobs
      .allJobs()
      .filter(
        (j) => j.namespaceId === caller.namespaceId && (j.jobStatus ?? 1) === 0 && bizIds.includes(j.bizId),
      );
    if (closed.length !== bizIds.length) {
      throw new OpenApiError(
        'Failed to delete the scheduled task. Ensure the task is closed, and confirm whether the job exists.',
      );
    }
    return this.doDeleteJobs(closed);
  }

  private doDeleteJobs(jobs: Job[]): boolean {
    const used = this.workflows
      .allWorkflows()
      .some((w) => w.nodes.some((n) => jobs.some((j) => j.id === n.jobId)));
    if (used) {
      throw new OpenApiError(
        'Failed to delete scheduled task, please check if the task is used in the workflow',
      );
    }
    for (const job of jobs) this.jobs.deleteJob(job.id);
    return true;
  }

  // ---- batches ------------------------------------------------------------------------------------------

  jobBatchDetail(id: number) {
    const batch = this.jobs.batch(BigInt(id));
    if (!batch) return null;
    const workflow =
      batch.workflowTaskBatchId === undefined
        ? undefined
        : this.workflows.workflow(this.workflows.batch(batch.workflowTaskBatchId)?.workflowId ?? -1n);
    const node = workflow?.nodes.find((n) => n.id === batch.workflowNodeId);
    return jobBatchResponse(batch, this.jobs.job(batch.jobId), node);
  }

  workflowBatchDetail(id: number) {
    const run = this.workflows.batch(BigInt(id));
    if (!run) return null;
    const workflow = this.workflows.workflow(run.workflowId);
    if (!workflow) throw new OpenApiSystemError('workflow of the batch is gone');
    const batches = this.jobs.allBatches().filter((b) => b.workflowTaskBatchId === run.id);
    return workflowDetailResponse(workflow, run, batches, (jobId) => this.jobs.job(jobId));
  }

  // ---- workflows ----------------------------------------------------------------------------------------

  triggerWorkflow(caller: OpenApiCaller, workflowId: number, tmpWfContext: string | undefined): boolean {
    const workflow = this.workflows.workflow(BigInt(workflowId));
    if (!workflow) throw new OpenApiError('workflow can not be null.');
    return this.doTriggerWorkflow(caller, workflow, tmpWfContext);
  }

  triggerWorkflowByBizId(caller: OpenApiCaller, bizId: string, tmpWfContext: string | undefined): boolean {
    const workflow = this.workflowByBizId(caller, bizId);
    if (!workflow) throw new OpenApiError('workflow can not be null.');
    return this.doTriggerWorkflow(caller, workflow, tmpWfContext);
  }

  private doTriggerWorkflow(
    caller: OpenApiCaller,
    workflow: Workflow,
    tmpWfContext: string | undefined,
  ): boolean {
    if (workflow.namespaceId !== caller.namespaceId) throw new OpenApiError('namespace id not match.');
    if (!this.groups.find(workflow.namespaceId, workflow.groupName)) {
      throw new OpenApiError(`Group [${workflow.groupName}] is closed, manual execution is not supported.`);
    }
    let tmp: string | undefined;
    if (tmpWfContext !== undefined && tmpWfContext.trim() !== '') {
      try {
        JSON.parse(tmpWfContext);
      } catch {
        throw new OpenApiSystemError('tmpWfContext is not JSON');
      }
      if (Object.keys(parseWfContext(tmpWfContext)).length > 0) tmp = tmpWfContext;
    }
    this.runner.start(workflow, tmp);
    return true;
  }

  updateWorkflowStatus(id: number, status: number): boolean {
    if (!isStatus(status)) throw new OpenApiError('Status cannot be empty');
    const workflow = this.workflows.workflow(BigInt(id));
    // `Assert.notNull(workflow, "workflow does not exist")` throws an IllegalArgumentException.
    if (!workflow) throw new OpenApiSystemError('workflow does not exist');
    return this.doUpdateWorkflowStatus(workflow, status);
  }

  updateWorkflowStatusByBizId(caller: OpenApiCaller, bizId: string, status: number): boolean {
    if (!isStatus(status)) throw new OpenApiError('Status cannot be empty');
    const workflow = this.workflowByBizId(caller, bizId);
    if (!workflow) throw new OpenApiSystemError('workflow does not exist');
    return this.doUpdateWorkflowStatus(workflow, status);
  }

  private doUpdateWorkflowStatus(workflow: Workflow, status: number): boolean {
    if ((workflow.workflowStatus ?? 1) === status) return true;
    if (status === 1) {
      workflow.nextTriggerAt = schedule(() =>
        nextTriggerAt(workflow.triggerType, workflow.triggerInterval ?? '', Date.now()),
      );
    }
    workflow.workflowStatus = status;
    return true;
  }

  deleteWorkflows(caller: OpenApiCaller, ids: number[]): boolean {
    const closed = ids
      .map((id) => this.workflows.workflow(BigInt(id)))
      .filter(
        (w): w is Workflow => !!w && w.namespaceId === caller.namespaceId && (w.workflowStatus ?? 1) === 0,
      );
    if (closed.length !== ids.length) {
      throw new OpenApiError('Failed to delete workflow task, please check if the task status is closed');
    }
    for (const w of closed) this.workflows.deleteWorkflow(w.id);
    return true;
  }

  /** The bizId variant finds the workflows whatever their status; the delete then only removes closed ones. */
  deleteWorkflowsByBizId(caller: OpenApiCaller, bizIds: string[]): boolean {
    const found = this.workflows
      .allWorkflows()
      .filter((w) => w.namespaceId === caller.namespaceId && bizIds.includes(w.bizId ?? ''));
    if (found.length !== bizIds.length) {
      throw new OpenApiError('Failed to delete workflow task, please check if the task status is closed');
    }
    const closed = found.filter((w) => (w.workflowStatus ?? 1) === 0);
    if (closed.length !== found.length) {
      throw new OpenApiError('Failed to delete workflow task, please check if the task status is closed');
    }
    for (const w of closed) this.workflows.deleteWorkflow(w.id);
    return true;
  }

  workflowExists(caller: OpenApiCaller, id: number) {
    const workflow = this.workflows.workflow(BigInt(id));
    return workflow && workflow.namespaceId === caller.namespaceId ? workflowExistsResponse(workflow) : null;
  }

  workflowExistsByBizId(caller: OpenApiCaller, bizId: string) {
    const workflow = this.workflowByBizId(caller, bizId);
    return workflow ? workflowExistsResponse(workflow) : null;
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private jobByBizId(caller: OpenApiCaller, bizId: string): Job | undefined {
    return this.jobs.allJobs().find((j) => j.namespaceId === caller.namespaceId && j.bizId === bizId);
  }

  private workflowByBizId(caller: OpenApiCaller, bizId: string): Workflow | undefined {
    return this.workflows
      .allWorkflows()
      .find((w) => w.namespaceId === caller.namespaceId && w.bizId === bizId);
  }

  /** Job labels for routing; text the dev server cannot read as a JSON object routes as "no labels". */
  private labels(text: string | undefined) {
    try {
      return parseLabels(text);
    } catch {
      return {};
    }
  }

  private snowflake(): string {
    return String(((BigInt(Date.now()) - SNOWFLAKE_EPOCH) << 22n) | (this.bizSeq++ & 0x3fffffn));
  }
}
