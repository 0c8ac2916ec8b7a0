import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_NAMESPACE,
  Header,
  parseJson,
  SERVER_GROUP_NAME,
  type WireResult,
} from 'nestjs-snail-job/protocol';
import { ServerIdentity } from '../common/server-identity.js';
import { TimerService } from '../common/timer.service.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { RequestJournal } from '../journal/request-journal.service.js';
import { GroupRegistry } from '../registry/group.registry.js';
import { clientInfo, type NodeRecord } from '../registry/node.model.js';
import { NodeRegistry } from '../registry/node.registry.js';
import { ClientChannels } from './client-channels.service.js';

/** Retry policy of one server → client call. */
export interface CallPolicy {
  waitMs: number;
  /** Total attempts on transport errors. @default 1 */
  attempts?: number;
}

/**
 * Server → client calls (docs/protocol.md §2.4, §4): server headers, one reqId per logical call (reused by its
 * attempts), journal, and "any exception marks the node not alive".
 */
@Injectable()
export class ClientCaller {
  private reqId = 0;

  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly channels: ClientChannels,
    private readonly registry: NodeRegistry,
    private readonly groups: GroupRegistry,
    private readonly identity: ServerIdentity,
    private readonly journal: RequestJournal,
    private readonly timers: TimerService,
  ) {}

  /** The headers the server sends to a node. */
  headersFor(node: NodeRecord): Record<string, string> {
    return {
      [Header.SJ_TOKEN]: this.groups.find(node.namespaceId, node.groupName)?.token ?? '',
      [Header.HOST_ID]: this.identity.hostId,
      [Header.HOST_IP]: this.identity.hostIp,
      [Header.GROUP_NAME]: SERVER_GROUP_NAME,
      [Header.HOST_PORT]: String(this.identity.port),
      [Header.NAMESPACE]: DEFAULT_NAMESPACE,
      [Header.TOKEN]: this.options.serverToken,
    };
  }

  /** Sends `body` (already encoded) to `node`; throws the last error when every attempt failed. */
  async call(node: NodeRecord, uri: string, body: string, policy: CallPolicy): Promise<WireResult> {
    const reqId = this.reqId++;
    const headers = this.headersFor(node);
    const attempts = Math.max(1, policy.attempts ?? 1);
    let lastError: Error = new Error('not sent');
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.timers.isClosed) break;
      const entry = this.journal.record({
        direction: 'out',
        uri,
        reqId: String(reqId),
        headers,
        body,
        target: clientInfo(node),
      });
      try {
        const reply = await this.channels.send(
          node.key,
          { reqId, metadata: { uri, headers }, body },
          policy.waitMs,
        );
        entry.reply = { status: reply.status, message: reply.message, data: reply.data };
        if (reply.data !== '') parseJson(reply.data);
        return reply;
      } catch (e) {
        lastError = e instanceof Error ? e : new Error(String(e));
        entry.error ??= lastError.message;
        this.registry.markNotAlive(node.key);
        if (attempt < attempts) await this.timers.sleep(this.options.callRetryIntervalMs);
      }
    }
    throw lastError;
  }
}
