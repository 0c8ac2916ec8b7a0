import { Injectable } from '@nestjs/common';
import { Header, ServerUri } from 'nestjs-snail-job/protocol';
import type { HandlerReply, InboundCall, UriHandler } from '../grpc/uri-handler.js';
import { GroupRegistry } from '../registry/group.registry.js';

/** The `ConfigRequest` of a group: no retry scenes, no client-side notifications. */
export function configRequest(version: number): { notifyList: never[]; sceneList: never[]; version: number } {
  return { notifyList: [], sceneList: [], version };
}

/** `/sync/version` (docs/protocol.md §3.3): the group's config. */
@Injectable()
export class SyncVersionHandler implements UriHandler {
  readonly path = ServerUri.SYNC_VERSION;

  constructor(private readonly groups: GroupRegistry) {}

  handle({ headers }: InboundCall): HandlerReply {
    const group = this.groups.find(headers[Header.NAMESPACE] ?? '', headers[Header.GROUP_NAME] ?? '');
    return { status: 1, data: configRequest(group?.version ?? 1) };
  }
}
