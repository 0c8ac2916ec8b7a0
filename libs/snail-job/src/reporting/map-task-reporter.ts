import { Inject, Injectable } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { ExecuteResult } from '../job/execute-result.js';
import type { JobArgs } from '../job/job-args.js';
import { ROOT_MAP } from '../job/task-names.js';
import { decodeData } from '../protocol/envelope.js';
import { stringifyJson } from '../protocol/json.js';
import type { DispatchJobRequest, MapTaskRequest } from '../protocol/payloads.js';
import { ServerUri } from '../protocol/uris.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import {
  DO_MAP_NO_ITEMS,
  DO_MAP_NO_NAME,
  DO_MAP_NOT_SERIALISABLE,
  DO_MAP_ROOT_NAME,
} from '../snail-job.messages.js';
import { MapTaskError } from '../errors/map-task.error.js';
import { ServerUnavailableError } from '../errors/server-unavailable.error.js';
import { ServerChannel } from '../transport/server-channel.js';
import { backoffDelay } from '../common/backoff.js';

/** Most sub-tasks per map-task request. */
export const MAP_CHUNK_ITEMS = 500;
/** How long a map-task request is retried while the server is unreachable (connection refused). */
const UNAVAILABLE_RETRY_MS = 60_000;

/**
 * `doMap`: creates child map tasks through `/batch/report/job/map/task/v1`. Any number of items: they are split
 * into requests of at most {@link MAP_CHUNK_ITEMS} items and a bounded byte size, sent one after another. A
 * request is re-sent only when the connection was refused (it never reached the server); a request that may
 * have been processed is never re-sent, because every request appends children (spec §3.5, pitfall 38).
 */
@Injectable()
export class MapTaskReporter {
  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly channel: ServerChannel,
  ) {}

  async doMap(
    request: DispatchJobRequest,
    args: JobArgs,
    items: readonly unknown[],
    nextTaskName: string,
  ): Promise<ExecuteResult> {
    if (!Array.isArray(items) || items.length === 0) {
      throw new MapTaskError(DO_MAP_NO_ITEMS);
    }
    if (typeof nextTaskName !== 'string' || nextTaskName.trim() === '') {
      throw new MapTaskError(DO_MAP_NO_NAME);
    }
    if (nextTaskName === ROOT_MAP) {
      throw new MapTaskError(DO_MAP_ROOT_NAME(ROOT_MAP));
    }
    const base = {
      jobId: request.jobId,
      taskBatchId: request.taskBatchId,
      parentId: request.taskId,
      taskName: nextTaskName,
    };
    const workflow: Partial<MapTaskRequest> = {};
    if (request.workflowTaskBatchId !== undefined) workflow.workflowTaskBatchId = request.workflowTaskBatchId;
    if (request.workflowNodeId !== undefined) workflow.workflowNodeId = request.workflowNodeId;
    const maxBytes = Math.floor(this.options.maxMessageBytes / 2);
    let start = 0;
    while (start < items.length) {
      const chunk: unknown[] = [];
      let bytes = 0;
      while (start < items.length && chunk.length < MAP_CHUNK_ITEMS) {
        const size = itemSize(items[start]);
        if (chunk.length > 0 && bytes + size > maxBytes) break;
        if (size > maxBytes) {
          throw new MapTaskError(
            `doMap item ${start} is ${size} bytes as JSON, larger than the ${maxBytes}-byte limit of one request; pass a reference (an id or key) instead.`,
          );
        }
        chunk.push(items[start]);
        bytes += size;
        start++;
      }
      const body: MapTaskRequest = {
        ...base,
        subTask: chunk,
        ...workflow,
        wfContext: stringifyJson(args.changedWfContext),
      };
      await this.send(body);
    }
    return ExecuteResult.success();
  }

  private async send(body: MapTaskRequest): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const reply = await this.channel.call(ServerUri.MAP_TASK, [body], { timeoutMs: 60_000 });
        if (reply.status === 1 || decodeData(reply.data) === true) return;
        throw new MapTaskError(
          `SnailJob server refused the map tasks "${body.taskName}": ${reply.message || 'no reason given'}`,
        );
      } catch (error) {
        // Only a connection that was never established proves the request did not reach the server.
        const refusedConnection =
          error instanceof ServerUnavailableError &&
          error.code === grpc.status.UNAVAILABLE &&
          /No connection established|ECONNREFUSED/.test(error.message);
        if (!refusedConnection || Date.now() - started > UNAVAILABLE_RETRY_MS) throw error;
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, 200, 5_000)));
      }
    }
  }
}

function itemSize(item: unknown): number {
  try {
    return Buffer.byteLength(stringifyJson(item)) + 1;
  } catch (e) {
    throw new MapTaskError(DO_MAP_NOT_SERIALISABLE((e as Error).message));
  }
}
