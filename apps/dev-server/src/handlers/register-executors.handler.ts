import { Injectable } from '@nestjs/common';
import { Header, ServerUri } from 'nestjs-snail-job/protocol';
import { Messages } from '../dev-server.messages.js';
import type { HandlerReply, InboundCall, UriHandler } from '../grpc/uri-handler.js';
import { ExecutorRegistry } from '../registry/executor.registry.js';

/**
 * `/register/job/executors` (docs/protocol.md §3.2). Success is answered even when nothing is stored — notably when the
 * `executor-type` header is missing (the Java server's NOT NULL column swallows the insert).
 */
@Injectable()
export class RegisterExecutorsHandler implements UriHandler {
  readonly path = ServerUri.REGISTER_EXECUTORS;

  constructor(private readonly executors: ExecutorRegistry) {}

  handle({ args, headers }: InboundCall): HandlerReply {
    const list = args[0];
    if (list === undefined || list === null)
      return { status: 0, message: Messages.executorsArgNull, data: false };
    if (!Array.isArray(list))
      throw new Error('Executor registration expects a list of {"executorInfo": "…"}');
    const names = list
      .map((e) =>
        e !== null && typeof e === 'object' ? (e as { executorInfo?: unknown }).executorInfo : undefined,
      )
      .filter((n): n is string => typeof n === 'string' && n !== '');
    const executorType = headers[Header.EXECUTOR_TYPE];
    if (executorType !== undefined) {
      this.executors.register(
        headers[Header.NAMESPACE] ?? '',
        headers[Header.GROUP_NAME] ?? '',
        executorType,
        names,
      );
    }
    return { status: 1, message: Messages.executorsRegistered, data: true };
  }
}
