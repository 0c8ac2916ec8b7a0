import { Injectable } from '@nestjs/common';
import { ServerUri } from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { Messages } from '../dev-server.messages.js';
import type { HandlerReply, InboundCall, UriHandler } from '../grpc/uri-handler.js';
import { TaskLogStore } from '../logs/task-log.store.js';

/** `/batch/server/report/log` (docs/protocol.md §7): answers success first, stores the entries afterwards. */
@Injectable()
export class ReportLogHandler implements UriHandler {
  readonly path = ServerUri.REPORT_LOG;

  constructor(
    private readonly logs: TaskLogStore,
    private readonly logger: DevServerLogger,
  ) {}

  handle({ args }: InboundCall): HandlerReply {
    const entries = args[0];
    setImmediate(() => {
      if (!Array.isArray(entries)) return;
      const rows = this.logs.store(entries);
      if (rows === 0 && entries.length > 0)
        this.logger.warn(`log report with ${entries.length} entries dropped`);
    });
    return { status: 1, message: Messages.logsReported, data: true };
  }
}
