import { Inject, Injectable } from '@nestjs/common';
import { ClientUri } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { beanBody } from '../common/jackson-json.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { ClientCaller } from '../grpc/client-caller.service.js';
import { configRequest } from '../handlers/sync-version.handler.js';
import { GroupRegistry } from './group.registry.js';
import { clientInfo } from './node.model.js';
import { NodeRegistry } from './node.registry.js';

const PUSH_ATTEMPTS = 3;

/** Outcome of one push. */
export interface ConfigPushResult {
  version: number;
  nodes: { hostId: string; status?: number; message?: string; error?: string }[];
}

/** Server → client `/sync/version` push (docs/protocol.md §4.3), as after a console edit of the group. */
@Injectable()
export class ConfigPush {
  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly groups: GroupRegistry,
    private readonly registry: NodeRegistry,
    private readonly caller: ClientCaller,
    private readonly logger: DevServerLogger,
  ) {}

  /** Bumps the group's version and pushes it to every alive node of the group; undefined for an unknown group. */
  async push(namespaceId: string, groupName: string): Promise<ConfigPushResult | undefined> {
    const group = this.groups.find(namespaceId, groupName);
    if (!group) return undefined;
    group.version++;
    const body = beanBody(configRequest(group.version));
    const nodes = this.registry.alive(namespaceId, groupName);
    this.logger.log(`config push v${group.version} of ${groupName} → ${nodes.length} node(s)`);
    const results = await Promise.all(
      nodes.map(async (node) => {
        try {
          const reply = await this.caller.call(node, ClientUri.SYNC_VERSION, body, {
            waitMs: this.options.configPushWaitMs,
            attempts: PUSH_ATTEMPTS,
          });
          if (reply.status !== 1)
            this.logger.warn(`config push → ${clientInfo(node)}: status 0 "${reply.message}"`);
          return { hostId: node.hostId, status: reply.status, message: reply.message };
        } catch (e) {
          return { hostId: node.hostId, error: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
    return { version: group.version, nodes: results };
  }
}
