import { DEFAULT_NAMESPACE, DEMO_GROUP, TaskType } from 'nestjs-snail-job/protocol';
import { InvalidInputError } from '../errors/invalid-input.error.js';
import { BlockStrategy } from '../jobs/job.enums.js';
import type { Job } from '../jobs/job.model.js';
import { parseLabels } from '../registry/labels.js';
import { parseScheduleFields } from '../scheduling/schedule-input.js';
import { RouteKey } from '../registry/node-selector.service.js';
import { InputReader } from './input-reader.js';

/** Body of `POST /api/jobs` (and of `createJob`). */
export interface CreateJobInput {
  /** @default "job-<n>" */
  jobName?: string;
  /** @default 'snail_job_demo_group' */
  groupName?: string;
  /** @default '764d604ec6fc45f68cd92514c40e9e1a' */
  namespaceId?: string;
  /** Business id sent as `jobBizId`. @default a snowflake-like decimal string */
  bizId?: string;
  executorInfo: string;
  /** 1 CLUSTER, 2 BROADCAST, 3 SHARDING, 4 MAP, 5 MAP_REDUCE (or the name). */
  taskType: number | string;
  /** Job args. SHARDING: JSON array of strings; MAP_REDUCE: `{"shardNum":n,"argsStr":"…"}`. Non-strings are serialised. */
  argsStr?: unknown;
  /** @default 1 */
  parallelNum?: number;
  /** Seconds. @default 60 */
  executorTimeout?: number;
  /** @default 0 */
  maxRetryTimes?: number;
  /** Seconds. @default 1 */
  retryInterval?: number;
  /** 1 CONSISTENT_HASH, 2 RANDOM, 3 LRU, 4 ROUND, 5 FIRST, 6 LAST. @default 4 */
  routeKey?: number | string;
  /** 1 DISCARD, 2 OVERLAY, 3 CONCURRENCY, 4 RECOVERY. @default 1 */
  blockStrategy?: number | string;
  /** Job labels, as an object or JSON object text. */
  labels?: Record<string, string> | string;
  /** @default 1 */
  executorType?: number;
  /** 2 FIXED (seconds), 3 CRON (Quartz, with seconds), 5 POINT_IN_TIME, 99 WORKFLOW (or the name). Absent: never scheduled. */
  triggerType?: number | string;
  /** Seconds, a Quartz CRON expression, or an array (or its JSON text) of `"yyyy-MM-dd HH:mm:ss"` times. */
  triggerInterval?: string | number | string[];
  /** 1 enabled (scheduled), 0 disabled. @default 1 */
  jobStatus?: number;
}

/** A job without its id, bizId defaulting and creation time. */
export type JobDraft = Omit<Job, 'id' | 'bizId' | 'createdAt'> & { bizId?: string };

function enumNames(e: object): Record<string, number> {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => typeof v === 'number')) as Record<
    string,
    number
  >;
}

/** Validates a create-job body. */
export function parseJobInput(body: unknown): JobDraft {
  const r = new InputReader('Job', body);
  const labelsRaw = r.raw('labels');
  let labels: Record<string, unknown>;
  try {
    labels =
      labelsRaw === undefined || labelsRaw === null
        ? {}
        : typeof labelsRaw === 'string'
          ? parseLabels(labelsRaw)
          : parseLabels(JSON.stringify(labelsRaw));
  } catch {
    return r.fail('labels', 'a JSON object of string values (or its JSON text)');
  }
  const bizId = r.string('bizId');
  if (bizId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(bizId))
    r.fail('bizId', 'text matching ^[A-Za-z0-9_-]{1,64}$');
  return {
    jobName: r.string('jobName') ?? '',
    groupName: r.string('groupName') ?? DEMO_GROUP,
    namespaceId: r.string('namespaceId') ?? DEFAULT_NAMESPACE,
    bizId,
    executorInfo: r.string('executorInfo', true),
    taskType: r.code('taskType', enumNames(TaskType)) as TaskType,
    argsStr: r.text('argsStr'),
    parallelNum: r.int('parallelNum', 1, 1),
    executorTimeout: r.int('executorTimeout', 60, 1),
    maxRetryTimes: r.int('maxRetryTimes', 0, 0),
    retryInterval: r.int('retryInterval', 1, 0),
    routeKey: r.code('routeKey', enumNames(RouteKey), RouteKey.ROUND),
    blockStrategy: r.code('blockStrategy', enumNames(BlockStrategy), BlockStrategy.DISCARD) as BlockStrategy,
    labels,
    executorType: r.int('executorType', 1, 0, 999),
    jobStatus: r.int('jobStatus', 1, 0, 1),
    ...parseScheduleFields(r, 'Job'),
  };
}

/** Body of `POST /api/jobs/:id/trigger`. */
export interface TriggerInput {
  /** Replaces the job's args for this batch only (non-strings are serialised). */
  tmpArgsStr?: unknown;
  /**
   * `true`: a manual trigger like the console's "execute" — always a new batch, no block strategy. Default: a
   * scheduled trigger (unfinished batches re-checked, then the block strategy applies).
   */
  manual?: boolean;
}

export function parseTriggerInput(body: unknown): { tmpArgsStr?: string; manual?: boolean } {
  const r = new InputReader('Trigger', body);
  const manual = r.raw('manual');
  if (manual !== undefined && manual !== null && typeof manual !== 'boolean') r.fail('manual', 'a boolean');
  return { tmpArgsStr: r.text('tmpArgsStr'), manual: manual === true };
}

/** Body of `POST /api/groups`. */
export interface GroupInput {
  /** @default '764d604ec6fc45f68cd92514c40e9e1a' */
  namespaceId?: string;
  groupName: string;
  token: string;
}

export function parseGroupInput(body: unknown): Required<GroupInput> {
  const r = new InputReader('Group', body);
  const groupName = r.string('groupName', true);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(groupName)) r.fail('groupName', 'text matching ^[A-Za-z0-9_-]{1,64}$');
  return {
    namespaceId: r.string('namespaceId') ?? DEFAULT_NAMESPACE,
    groupName,
    token: r.string('token', true),
  };
}

/** Body of `POST /api/faults`. */
export interface FaultInput {
  uri: string;
  status0Count?: number;
  delayMs?: number;
}

export function parseFaultInput(body: unknown): Required<FaultInput> {
  const r = new InputReader('Fault', body);
  const uri = r.string('uri', true);
  if (!uri.startsWith('/'))
    throw new InvalidInputError(`Fault: field "uri" must be a path such as "/beat"; got "${uri}".`);
  return { uri, status0Count: r.int('status0Count', 0, 0), delayMs: r.int('delayMs', 0, 0) };
}
