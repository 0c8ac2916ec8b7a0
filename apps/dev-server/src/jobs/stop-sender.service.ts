import { Inject, Injectable } from '@nestjs/common';
import { ClientUri } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { toWireId } from '../common/ids.js';
import { Semaphore } from '../common/semaphore.js';
import { beanBody } from '../common/jackson-json.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { ClientCaller } from '../grpc/client-caller.service.js';
import { NodeRegistry } from '../registry/node.registry.js';
import type { Batch, Task } from './job.model.js';

const STOP_ATTEMPTS = 3;

/**
 * Sends `/job/stop/v1` once per task row to that row's node, if the node is still in the instance table
 * (docs/protocol.md §4.2): 3 attempts, reply ignored. Fire-and-forget.
 */
@Injectable()
export class StopSender {
  /** Stops go out through a bounded pool like dispatches (a 100k-task batch sends 100k clean-up stops). */
  private readonly slots: Semaphore;

  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly registry: NodeRegistry,
    private readonly caller: ClientCaller,
    private readonly logger: DevServerLogger,
  ) {
    this.slots = new Semaphore(options.dispatchConcurrency);
  }

  send(batch: Batch, tasks: Task[], why: string): void {
    const body = beanBody({
      groupName: batch.groupName,
      jobId: toWireId(batch.jobId),
      taskBatchId: toWireId(batch.id),
    });
    let sent = 0;
    for (const task of tasks) {
      const node = task.node ? this.registry.get(task.node.key) : undefined;
      if (!node) continue;
      sent++;
      this.slots
        .use(() =>
          this.caller.call(node, ClientUri.STOP, body, {
            waitMs: this.options.stopWaitMs,
            attempts: STOP_ATTEMPTS,
          }),
        )
        .catch((e: unknown) =>
          this.logger.warn(`stop of batch ${batch.id} → ${node.hostId} failed: ${String(e)}`),
        );
    }
    if (sent > 0)
      this.logger.log(`stop batch ${batch.id} (${why}): ${sent} stop message(s) for ${tasks.length} task(s)`);
  }
}
