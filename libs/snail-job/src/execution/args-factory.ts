import { jobParamsText, parseArgsHolder, parseWfContext, stringList } from '../protocol/args-holder.js';
import { TaskType, MapReduceStage } from '../protocol/enums.js';
import { parseJson } from '../protocol/json.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import type { ExecuteResult } from '../job/execute-result.js';
import { JobArgs, MapArgs, MergeReduceArgs, ReduceArgs, ShardingJobArgs } from '../job/job-args.js';
import { ROOT_MAP } from '../job/task-names.js';

/** Which handler stage a dispatch addresses. */
export type Stage = 'plain' | 'map' | 'reduce' | 'merge';

/** The stage of a dispatch: task types 1-3 plain, 4 map, 5 by `mrStage`. */
export function stageOf(request: DispatchJobRequest): Stage {
  if (request.taskType === TaskType.MAP) return 'map';
  if (request.taskType === TaskType.MAP_REDUCE) {
    if (request.mrStage === MapReduceStage.REDUCE) return 'reduce';
    if (request.mrStage === MapReduceStage.MERGE_REDUCE) return 'merge';
    return 'map';
  }
  return 'plain';
}

/** Map task name of a dispatch (`ROOT_MAP` when absent). */
export function mapTaskName(request: DispatchJobRequest): string {
  return request.taskName && request.taskName !== '' ? request.taskName : ROOT_MAP;
}

/** Decodes a stored result string: JSON text becomes its value, anything else stays the raw string. */
export function decodeStoredResult(text: string): unknown {
  if (text === '') return text;
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}

/** Builds the args object user code receives for a dispatch. */
export function buildArgs(
  request: DispatchJobRequest,
  signal: AbortSignal,
  doMap: (args: JobArgs, items: readonly unknown[], next: string) => Promise<ExecuteResult>,
): JobArgs {
  const holder = parseArgsHolder(request.argsStr);
  const stage = stageOf(request);
  let args: JobArgs;
  if (stage === 'map') {
    const map = new MapArgs();
    map.taskName = mapTaskName(request);
    map.mapResult = holder.maps === undefined ? '' : holder.maps;
    map.doMap = (items, next) => doMap(map, items, next);
    args = map;
  } else if (stage === 'reduce') {
    const reduce = new ReduceArgs();
    reduce.rawMapResult = stringList(holder.maps);
    reduce.mapResult = reduce.rawMapResult.map(decodeStoredResult);
    args = reduce;
  } else if (stage === 'merge') {
    const merge = new MergeReduceArgs();
    merge.rawReduces = stringList(holder.reduces);
    merge.reduces = merge.rawReduces.map(decodeStoredResult);
    args = merge;
  } else {
    args = request.taskType === TaskType.SHARDING ? new ShardingJobArgs() : new JobArgs();
  }
  args.jobId = request.jobId;
  if (request.jobBizId !== undefined) args.jobBizId = request.jobBizId;
  args.taskBatchId = request.taskBatchId;
  args.taskId = request.taskId;
  args.taskType = request.taskType;
  args.executorInfo = request.executorInfo;
  args.jobParams = jobParamsText(holder);
  if (request.shardingIndex !== undefined) args.shardingIndex = request.shardingIndex;
  if (request.shardingTotal !== undefined) args.shardingTotal = request.shardingTotal;
  if (request.retryCount !== undefined) args.retryCount = request.retryCount;
  args.retryStatus = request.retryStatus === true;
  if (request.retryScene !== undefined) args.retryScene = request.retryScene;
  if (request.workflowTaskBatchId !== undefined) args.workflowTaskBatchId = request.workflowTaskBatchId;
  if (request.workflowNodeId !== undefined) args.workflowNodeId = request.workflowNodeId;
  args.signal = signal;
  Object.assign(args.wfContext, parseWfContext(request.wfContext));
  return args;
}
