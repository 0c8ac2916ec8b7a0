import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { ConfigRequest } from '../protocol/payloads.js';
import { ClientUri } from '../protocol/uris.js';
import { Registrar } from '../registration/registrar.js';
import { SNAIL_JOB_TRANSPORT } from '../snail-job.constants.js';
import type { InboundCall, InboundReply } from '../transport/snail-job.transport.js';

/** `/sync/version`: the server pushes a new group config version; answered `null`. */
@Controller()
export class SyncVersionHandler {
  constructor(private readonly registrar: Registrar) {}

  @MessagePattern(ClientUri.SYNC_VERSION, SNAIL_JOB_TRANSPORT)
  handle(call: InboundCall): InboundReply {
    this.registrar.applyConfig(call.args[0] as ConfigRequest | undefined);
    return { status: 1, data: null };
  }
}
