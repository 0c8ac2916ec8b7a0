import { Injectable } from '@nestjs/common';
import { Header, ServerUri, stringifyJson } from 'nestjs-snail-job/protocol';
import { parseId } from '../common/ids.js';
import { Messages } from '../dev-server.messages.js';
import { firstArgObject, type HandlerReply, type InboundCall, type UriHandler } from '../grpc/uri-handler.js';
import { MapTaskService } from '../jobs/map-task.service.js';

function requiredId(request: Record<string, unknown>, field: string): bigint {
  const id = parseId(request[field]);
  if (id === undefined) throw new Error(`${field} cannot be null`);
  return id;
}

/** `/batch/report/job/map/task/v1` (docs/protocol.md §3.5): children are dispatched before the reply goes out. */
@Injectable()
export class MapTaskHandler implements UriHandler {
  readonly path = ServerUri.MAP_TASK;

  constructor(private readonly maps: MapTaskService) {}

  handle(call: InboundCall): HandlerReply {
    try {
      const request = firstArgObject(call);
      if (!request) throw new Error('Map task request is null');
      const subTask = request.subTask;
      const wfContext = request.wfContext;
      this.maps.createChildren({
        namespaceId: call.headers[Header.NAMESPACE] ?? '',
        groupName: call.headers[Header.GROUP_NAME] ?? '',
        jobId: requiredId(request, 'jobId'),
        taskBatchId: requiredId(request, 'taskBatchId'),
        parentId: requiredId(request, 'parentId'),
        taskName: typeof request.taskName === 'string' ? request.taskName : '',
        subTask: Array.isArray(subTask) ? subTask : [],
        wfContext:
          wfContext === undefined || wfContext === null
            ? undefined
            : typeof wfContext === 'string'
              ? wfContext
              : stringifyJson(wfContext),
      });
      return { status: 1, message: Messages.mapTaskReported, data: true };
    } catch (e) {
      return { status: 0, message: e instanceof Error ? e.message : String(e), data: false };
    }
  }
}
