import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { BatchStatus } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { IdGenerator } from '../common/id.generator.js';
import { TimerService } from '../common/timer.service.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { BatchTrigger } from '../jobs/batch-trigger.service.js';
import { BlockStrategy, OperationReason } from '../jobs/job.enums.js';
import { isBatchFinished, type Job } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { GroupRegistry } from '../registry/group.registry.js';
import type { Workflow } from '../workflows/workflow.model.js';
import { WorkflowRunner } from '../workflows/workflow-runner.service.js';
import { WorkflowStore } from '../workflows/workflow.store.js';
import { followingTriggerAt, MAX_POINT_IN_TIME, TriggerType } from './trigger-interval.js';

const SCHEDULED = new Set<number>([TriggerType.FIXED, TriggerType.CRON, TriggerType.POINT_IN_TIME]);

/** Something with a schedule: a job or a workflow. */
interface Scheduled {
  triggerType?: number;
  triggerInterval?: string;
  nextTriggerAt?: number;
}

/**
 * Fires enabled jobs and workflows when their next trigger time comes, as the Java server's scan does
 * (`snail-job-server-job-task/.../dispatch/ScanJobTaskActor.java`, `ScanWorkflowTaskActor.java`): the next time is
 * computed from the one just due (from now when more than one scan period late), and the trigger is a *scheduled*
 * one — unfinished batches of the job are re-checked and its block strategy applies. Workflow-only jobs (type 99),
 * disabled ones and those of unknown groups are skipped.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap {
  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly timers: TimerService,
    private readonly ids: IdGenerator,
    private readonly jobs: JobStore,
    private readonly workflows: WorkflowStore,
    private readonly groups: GroupRegistry,
    private readonly trigger: BatchTrigger,
    private readonly runner: WorkflowRunner,
    private readonly logger: DevServerLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.every(this.options.scheduleTickMs, () => this.tick());
  }

  /** Fires everything due at `now`; returns how many jobs and workflows fired. */
  tick(now = Date.now()): number {
    let fired = 0;
    for (const job of this.jobs.allJobs()) {
      if ((job.jobStatus ?? 1) !== 1 || !this.due(job, now)) continue;
      if (!this.groups.find(job.namespaceId, job.groupName)) continue;
      if (!this.advance(job, `job ${job.id}`, now)) continue;
      this.fireJob(job);
      fired++;
    }
    for (const workflow of this.workflows.allWorkflows()) {
      if ((workflow.workflowStatus ?? 1) !== 1 || !this.due(workflow, now)) continue;
      if (!this.groups.find(workflow.namespaceId, workflow.groupName)) continue;
      if (!this.advance(workflow, `workflow ${workflow.id}`, now)) continue;
      this.fireWorkflow(workflow);
      fired++;
    }
    return fired;
  }

  private due(s: Scheduled, now: number): boolean {
    return s.triggerType !== undefined && SCHEDULED.has(s.triggerType) && (s.nextTriggerAt ?? 0) <= now;
  }

  /** Moves the next trigger time on; false (and parked) when the stored interval cannot be computed. */
  private advance(s: Scheduled, what: string, now: number): boolean {
    try {
      s.nextTriggerAt = followingTriggerAt(s.triggerType, s.triggerInterval ?? '', s.nextTriggerAt ?? 0, now);
      return true;
    } catch (e) {
      this.logger.warn(
        `${what}: cannot compute the next trigger time (${(e as Error).message}); not scheduled`,
      );
      s.nextTriggerAt = MAX_POINT_IN_TIME();
      return false;
    }
  }

  private fireJob(job: Job): void {
    this.logger.log(
      `schedule: job ${job.id} (${job.jobName}) due; next at ${new Date(job.nextTriggerAt!).toISOString()}`,
    );
    this.trigger.trigger(job);
  }

  /**
   * A scheduled workflow run with the workflow's block strategy
   * (`snail-job-server-job-task/.../block/workflow/*WorkflowBlockStrategy.java`): DISCARD records a CANCEL run
   * (JOB_DISCARD), OVERLAY stops the running one first, CONCURRENCY just starts another; RECOVERY keeps the
   * running one.
   */
  private fireWorkflow(workflow: Workflow): void {
    const running = this.workflows.allBatches(workflow.id).filter((b) => !isBatchFinished(b.status));
    this.logger.log(`schedule: workflow ${workflow.id} (${workflow.name}) due`);
    if (running.length > 0) {
      switch (workflow.blockStrategy ?? BlockStrategy.DISCARD) {
        case BlockStrategy.DISCARD:
          this.workflows.addBatch({
            id: this.ids.take(),
            workflowId: workflow.id,
            status: BatchStatus.CANCEL,
            operationReason: OperationReason.JOB_DISCARD,
            wfContext: workflow.wfContext,
            nodeBatches: new Map(),
            createdAt: Date.now(),
            finishedAt: Date.now(),
          });
          return;
        case BlockStrategy.OVERLAY:
          for (const run of running) this.runner.stop(run, OperationReason.JOB_OVERLAY);
          break;
        case BlockStrategy.RECOVERY:
          return;
        default:
          break;
      }
    }
    this.runner.start(workflow);
  }
}
