import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_NAMESPACE, Header, SERVER_GROUP_NAME } from 'nestjs-snail-job/protocol';
import {
  DEMO_GROUP_CONFIG,
  DEV_SERVER_OPTIONS,
  type ResolvedDevServerOptions,
} from '../dev-server.options.js';
import { Messages } from '../dev-server.messages.js';

/** A group (`sj_group_config`): its token and config version. */
export interface GroupConfig {
  namespaceId: string;
  groupName: string;
  token: string;
  /** Config version delivered by `/sync/version`. */
  version: number;
}

function key(namespaceId: string, groupName: string): string {
  return `${namespaceId}\u0000${groupName}`;
}

/** The (namespace, group) → token table, and the token check every client → server call goes through. */
@Injectable()
export class GroupRegistry {
  private readonly groups = new Map<string, GroupConfig>();

  constructor(@Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions) {
    for (const g of [DEMO_GROUP_CONFIG, ...options.groups]) this.upsert(g);
  }

  /** Adds a group or replaces its token. */
  upsert(group: { namespaceId?: string; groupName: string; token: string }): GroupConfig {
    const namespaceId = group.namespaceId ?? DEFAULT_NAMESPACE;
    const existing = this.groups.get(key(namespaceId, group.groupName));
    const config: GroupConfig = {
      namespaceId,
      groupName: group.groupName,
      token: group.token,
      version: existing?.version ?? 1,
    };
    this.groups.set(key(namespaceId, group.groupName), config);
    return config;
  }

  /** A group loaded from a data directory: configured groups keep their token, the version never goes back. */
  restore(group: GroupConfig): void {
    const existing = this.find(group.namespaceId, group.groupName);
    if (!existing) this.groups.set(key(group.namespaceId, group.groupName), { ...group });
    else existing.version = Math.max(existing.version, group.version);
  }

  find(namespaceId: string, groupName: string): GroupConfig | undefined {
    return this.groups.get(key(namespaceId, groupName));
  }

  list(): GroupConfig[] {
    return [...this.groups.values()];
  }

  /**
   * The token check of docs/protocol.md §2.3 (raw, case-sensitive header lookup). Returns the failure message, or
   * `undefined` when the caller may proceed.
   */
  authenticate(headers: Record<string, string>): string | undefined {
    const token = headers[Header.TOKEN];
    const group = headers[Header.GROUP_NAME];
    const namespace = headers[Header.NAMESPACE];
    if (token === undefined || token.trim() === '') return Messages.tokenFailed(namespace, group, token);
    if (group === undefined) return Messages.groupNameNull;
    const expected =
      group === SERVER_GROUP_NAME
        ? this.options.serverToken
        : (this.find(namespace ?? '', group)?.token ?? '');
    return token === expected ? undefined : Messages.tokenFailed(namespace, group, token);
  }
}
