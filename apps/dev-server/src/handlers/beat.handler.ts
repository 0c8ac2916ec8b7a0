import { Injectable } from '@nestjs/common';
import { Header, ServerUri } from 'nestjs-snail-job/protocol';
import { Messages } from '../dev-server.messages.js';
import type { HandlerReply, InboundCall, UriHandler } from '../grpc/uri-handler.js';
import { parseLabels } from '../registry/labels.js';
import { NodeRegistry } from '../registry/node.registry.js';

const INT_MAX = 2 ** 31 - 1;

/** Java's `Integer.valueOf` on a header value. */
function javaInteger(text: string | undefined): number {
  if (text === undefined || !/^[+-]?\d+$/.test(text) || Math.abs(Number(text)) > INT_MAX) {
    throw new Error(Messages.numberFormat(text));
  }
  return Number(text);
}

/** `/beat` (docs/protocol.md §3.1): queues a node record built from the headers; the body is ignored. */
@Injectable()
export class BeatHandler implements UriHandler {
  readonly path = ServerUri.BEAT;

  constructor(private readonly registry: NodeRegistry) {}

  handle({ headers }: InboundCall): HandlerReply {
    const hostPort = javaInteger(headers[Header.HOST_PORT]);
    this.registry.enqueue({
      namespaceId: headers[Header.NAMESPACE] ?? '',
      groupName: headers[Header.GROUP_NAME] ?? '',
      hostId: headers[Header.HOST_ID] ?? '',
      hostIp: headers[Header.HOST_IP] ?? '',
      hostPort,
      labels: parseLabels(headers[Header.LABEL]),
      extAttrs: {
        executorType: headers[Header.EXECUTOR_TYPE],
        systemVersion: headers[Header.SYSTEM_VERSION],
      },
      receivedAt: Date.now(),
    });
    return { status: 1, data: 'PONG' };
  }
}
