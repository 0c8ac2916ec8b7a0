import { Inject, Injectable } from '@nestjs/common';
import {
  decodeBody,
  uriPath,
  wireResult,
  type WireRequest,
  type WireResult,
} from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { TimerService } from '../common/timer.service.js';
import { Messages } from '../dev-server.messages.js';
import { FaultInjector } from '../journal/fault-injector.service.js';
import { RequestJournal } from '../journal/request-journal.service.js';
import { GroupRegistry } from '../registry/group.registry.js';
import { type HandlerReply, URI_HANDLERS, type UriHandler } from './uri-handler.js';

/**
 * Every client → server call goes through here (docs/protocol.md §2.3): journal, blank-URI silence, injected faults,
 * token check, path match, body decoding, handler, and the reply envelope (reqId echoed, data as JSON text).
 */
@Injectable()
export class RequestRouter {
  private readonly handlers: Map<string, UriHandler>;

  constructor(
    @Inject(URI_HANDLERS) handlers: UriHandler[],
    private readonly groups: GroupRegistry,
    private readonly journal: RequestJournal,
    private readonly faults: FaultInjector,
    private readonly timers: TimerService,
    private readonly logger: DevServerLogger,
  ) {
    this.handlers = new Map(handlers.map((h) => [h.path, h]));
  }

  /** The reply, or `undefined` when the call must never be answered (blank URI). */
  async handle(request: WireRequest): Promise<WireResult | undefined> {
    const uri = request.metadata?.uri ?? '';
    const headers = request.metadata?.headers ?? {};
    const reqId = request.reqId ?? '0';
    const entry = this.journal.record({ direction: 'in', uri, reqId, headers, body: request.body ?? '' });
    if (uri.trim() === '') {
      this.logger.error('request with a blank uri: never answered (as the Java server)');
      return undefined;
    }
    const reply = await this.reply(uri, headers, request.body, reqId);
    entry.reply = { status: reply.status, message: reply.message, data: reply.data };
    return reply;
  }

  private async reply(
    uri: string,
    headers: Record<string, string>,
    body: string,
    reqId: string,
  ): Promise<WireResult> {
    const path = uriPath(uri);
    const fault = this.faults.take(path);
    if (fault.delayMs > 0) await this.timers.sleep(fault.delayMs);
    if (fault.failWithStatus0) return wireResult(0, null, Messages.injectedFault, reqId);
    const authFailure = this.groups.authenticate(headers);
    if (authFailure !== undefined) return wireResult(0, null, authFailure, reqId);
    const handler = this.handlers.get(path);
    if (!handler) return wireResult(0, null, Messages.noHandler(path), reqId);
    let result: HandlerReply;
    try {
      result = handler.handle({ reqId, uri, path, headers, args: decodeBody(body) });
    } catch (e) {
      return wireResult(0, null, e instanceof Error ? e.message : String(e), reqId);
    }
    return wireResult(result.status, result.data ?? null, result.message ?? '', reqId);
  }
}
