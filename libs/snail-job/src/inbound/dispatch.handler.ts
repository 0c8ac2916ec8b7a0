import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { TaskRunner } from '../execution/task-runner.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { ClientUri } from '../protocol/uris.js';
import { SNAIL_JOB_TRANSPORT } from '../snail-job.constants.js';
import type { InboundCall, InboundReply } from '../transport/snail-job.transport.js';
import { validateDispatch } from './dispatch-request.js';

const ACCEPTED: InboundReply = { status: 1, data: true };

/**
 * `/job/dispatch/v1`: checks the request, hands it to the runner and answers at once — `true` when taken,
 * `false` with the reason when refused, status 0 when the request itself is invalid (docs/protocol.md §3.1).
 */
@Controller()
export class DispatchHandler {
  constructor(
    private readonly runner: TaskRunner,
    private readonly instrumentation: SnailJobInstrumentation,
  ) {}

  @MessagePattern(ClientUri.DISPATCH, SNAIL_JOB_TRANSPORT)
  handle(call: InboundCall): InboundReply {
    const validation = validateDispatch(call.args[0]);
    if (!validation.ok) {
      this.instrumentation.dispatch('(invalid)', false, 'invalid');
      return { status: 0, message: validation.message };
    }
    const admission = this.runner.submit(validation.request);
    return admission.accepted ? ACCEPTED : { status: 1, data: false, message: admission.message };
  }
}
