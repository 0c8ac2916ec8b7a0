import { Inject, Injectable } from '@nestjs/common';
import { ClientUri, isAccepted, TaskType } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { beanBody } from '../common/jackson-json.js';
import { Semaphore } from '../common/semaphore.js';
import { TimerService } from '../common/timer.service.js';
import { Messages } from '../dev-server.messages.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { ClientCaller } from '../grpc/client-caller.service.js';
import { TaskLogStore } from '../logs/task-log.store.js';
import { clientInfo } from '../registry/node.model.js';
import { NodeRegistry } from '../registry/node.registry.js';
import { NodeSelector } from '../registry/node-selector.service.js';
import { WorkflowStore } from '../workflows/workflow.store.js';
import { buildDispatchRequest, type DispatchMode } from './dispatch-request.builder.js';
import { JobEvents } from './job-events.js';
import { type Task, taskNode } from './job.model.js';
import { JobStore } from './job.store.js';

/**
 * Sends `/job/dispatch/v1` for one task (docs/protocol.md §4.1): waits for the reply; "status 1 + data true" is
 * accepted, any other reply is a refusal (FAIL through the result path), a transport error or silence
 * marks the node not alive and fails over (when the job has retries and this is not a retry dispatch).
 */
@Injectable()
export class TaskDispatcher {
  private readonly slots: Semaphore;

  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly store: JobStore,
    private readonly workflows: WorkflowStore,
    private readonly registry: NodeRegistry,
    private readonly selector: NodeSelector,
    private readonly caller: ClientCaller,
    private readonly events: JobEvents,
    private readonly timers: TimerService,
    private readonly logs: TaskLogStore,
    private readonly logger: DevServerLogger,
  ) {
    this.slots = new Semaphore(options.dispatchConcurrency);
  }

  /** Dispatches in the background; the returned promise settles when the outcome is known and never rejects. */
  dispatch(task: Task, mode: DispatchMode = {}): Promise<void> {
    return this.slots
      .use(() => this.send(task, mode))
      .catch((e: unknown) => {
        this.logger.error(`dispatch of task ${task.id} crashed: ${e instanceof Error ? e.stack : String(e)}`);
      });
  }

  private async send(task: Task, mode: DispatchMode): Promise<void> {
    const batch = this.store.batch(task.batchId);
    const job = this.store.job(task.jobId);
    if (!batch || !job) return;
    const retryStatus = mode.retryScene !== undefined;
    const problem = (message: string) => ({ task, message, retryStatus, retryScene: mode.retryScene });
    const first = task.node ? this.registry.get(task.node.key) : undefined;
    // the lines the Java server writes into the task's own log on a failed dispatch (RequestClientActor)
    const failedLine = (reason: string, throwable?: string) =>
      this.logs.serverLine(
        task,
        'ERROR',
        retryStatus
          ? `Task ID:[${task.id}] Task scheduling failed, executing retry.${reason} Retry count:[${task.retryCount ?? 0}].`
          : `Task ID:[${task.id}] Task scheduling failed.${reason}`,
        throwable,
      );
    if (!first || !first.alive) {
      this.logger.warn(`dispatch task ${task.id} of batch ${batch.id}: ${Messages.clientMissing}`);
      failedLine(' Reason: No executable client');
      this.events.dispatchFailed.next(problem(Messages.clientMissing));
      return;
    }
    const body = beanBody(
      buildDispatchRequest(job, batch, task, mode, this.workflows.contextOf(batch.workflowTaskBatchId)),
    );
    const attempts = retryStatus || job.maxRetryTimes <= 0 ? 1 : job.maxRetryTimes;
    let target = first;
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.caller.call(target, ClientUri.DISPATCH, body, {
          waitMs: this.options.dispatchWaitMs,
        });
        if (target !== first) {
          task.node = taskNode(target);
          task.retryCount = (task.retryCount ?? 0) + 1;
        }
        const what = `dispatch task ${task.id} ${task.taskName} (batch ${batch.id}, ${TaskType[batch.taskType]}) → ${clientInfo(target)}`;
        if (isAccepted(reply)) {
          this.logger.log(`${what}: accepted${retryStatus ? ` (retry ${task.retryCount ?? 0})` : ''}`);
        } else {
          this.logger.warn(
            `${what}: refused (status ${reply.status}, data ${reply.data}, "${reply.message}")`,
          );
          this.events.dispatchRefused.next(problem(reply.message));
        }
        return;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.logger.warn(`dispatch task ${task.id} → ${clientInfo(target)} failed: ${message}`);
        if (attempt >= attempts || this.timers.isClosed) {
          failedLine('', message);
          this.events.dispatchFailed.next(problem(message));
          return;
        }
        this.logs.serverLine(
          task,
          'ERROR',
          `Task scheduling failed attempt retry. Task instance ID:[${batch.id}] retryCount:[${attempt}].`,
          message,
        );
        await this.timers.sleep(job.retryInterval * 1000);
        const next = this.selector.pick(
          job.routeKey,
          String(job.id),
          this.selector.candidates(batch.namespaceId, batch.groupName, job.labels),
        );
        if (!next) {
          failedLine(' Reason: No executable client');
          this.events.dispatchFailed.next(problem(Messages.clientMissing));
          return;
        }
        target = next;
      }
    }
  }
}
