import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { TaskRunner } from '../execution/task-runner.js';
import type { StopJobRequest } from '../protocol/payloads.js';
import { ClientUri } from '../protocol/uris.js';
import { SNAIL_JOB_TRANSPORT } from '../snail-job.constants.js';
import type { InboundCall, InboundReply } from '../transport/snail-job.transport.js';

/** `/job/stop/v1`: aborts every local task of the batch. Idempotent; always answered `true`. */
@Controller()
export class StopHandler {
  constructor(private readonly runner: TaskRunner) {}

  @MessagePattern(ClientUri.STOP, SNAIL_JOB_TRANSPORT)
  handle(call: InboundCall): InboundReply {
    const arg = call.args[0] as Partial<StopJobRequest> | undefined;
    if (arg && typeof arg === 'object' && arg.taskBatchId !== undefined && arg.taskBatchId !== null) {
      this.runner.stopBatch(String(arg.taskBatchId));
    }
    return { status: 1, data: true };
  }
}
