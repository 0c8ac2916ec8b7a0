import { OpenApiError, OpenApiParamError } from './openapi-result.js';

/**
 * The OpenAPI's request classes (`snail-job-common-model/.../model/request/*.java`) as Jackson reads them and as
 * bean validation checks them. Only constraints of the *default* validation group apply (the controllers use
 * `@Validated` without groups), so most "Add" constraints are not checked by the server.
 */

const BIZ_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const PATTERN_MESSAGE = 'Only supports 1~64 characters, including numbers, letters, underscores, and hyphens';

type Body = Record<string, unknown>;

/** A JSON object body; anything else is unreadable for a request class. */
export function objectBody(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new OpenApiParamError('the body must be a JSON object');
  }
  return body as Body;
}

/** Jackson's reading of an `Integer`/`Long` property: integral numbers, numeric text, "" and null as null. */
export function intField(body: Body, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) return Math.trunc(Number(v));
  throw new OpenApiParamError(`field "${field}" is not a number`);
}

/** Jackson's reading of a `String` property: scalars as text, objects and arrays unreadable. */
export function stringField(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new OpenApiParamError(`field "${field}" is not text`);
}

function longSet(value: unknown, field: string): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new OpenApiParamError(`field "${field}" is not an array`);
  return [...new Set(value.map((v) => intField({ v }, 'v') ?? NaN))].filter((n) => !Number.isNaN(n));
}

/**
 * `MethodArgumentNotValidException` as `RestExceptionHandler` words it: `"<field> <message>:<rejected value>"`
 * (the rejected value of null prints as "").
 */
function invalid(field: string, message: string, rejected: unknown): never {
  throw new OpenApiError(
    `${field} ${message}:${rejected === undefined || rejected === null ? '' : String(rejected)}`,
  );
}

function notBlank(field: string, value: string | undefined, message: string): void {
  if (value === undefined || value.trim() === '') invalid(field, message, value);
}

function notNull(field: string, value: unknown, message: string): void {
  if (value === undefined || value === null) invalid(field, message, value);
}

function pattern(field: string, value: string | undefined): void {
  if (value !== undefined && !BIZ_PATTERN.test(value)) invalid(field, PATTERN_MESSAGE, value);
}

/** `JobRequest` / `JobBizIdApiRequest`: the job fields an add or update carries. */
export interface JobRequest {
  id?: number;
  groupName?: string;
  bizId?: string;
  jobName?: string;
  jobStatus?: number;
  argsStr?: string;
  argsType?: number;
  routeKey?: number;
  executorType?: number;
  executorInfo?: string;
  triggerType?: number;
  triggerInterval?: string;
  blockStrategy?: number;
  executorTimeout?: number;
  maxRetryTimes?: number;
  retryInterval?: number;
  taskType?: number;
  parallelNum?: number;
  description?: string;
  notifyIds?: number[];
  ownerId?: number;
  labels?: string;
}

/** Reads a `JobRequest` (`byBizId`: a `JobBizIdApiRequest`, whose `bizId` is required and which has no `id`). */
export function jobRequest(raw: unknown, byBizId: boolean): JobRequest {
  const b = objectBody(raw);
  const req: JobRequest = {
    id: byBizId ? undefined : intField(b, 'id'),
    groupName: stringField(b, 'groupName'),
    bizId: stringField(b, 'bizId'),
    jobName: stringField(b, 'jobName'),
    jobStatus: intField(b, 'jobStatus'),
    argsStr: stringField(b, 'argsStr'),
    argsType: intField(b, 'argsType'),
    routeKey: intField(b, 'routeKey'),
    executorType: intField(b, 'executorType'),
    executorInfo: stringField(b, 'executorInfo'),
    triggerType: intField(b, 'triggerType'),
    triggerInterval: stringField(b, 'triggerInterval'),
    blockStrategy: intField(b, 'blockStrategy'),
    executorTimeout: intField(b, 'executorTimeout'),
    maxRetryTimes: intField(b, 'maxRetryTimes'),
    retryInterval: intField(b, 'retryInterval'),
    taskType: intField(b, 'taskType'),
    parallelNum: intField(b, 'parallelNum'),
    description: stringField(b, 'description'),
    notifyIds: longSet(b.notifyIds, 'notifyIds'),
    ownerId: intField(b, 'ownerId'),
    labels: stringField(b, 'labels'),
  };
  if (byBizId) notNull('bizId', req.bizId, 'bizId cannot be null');
  notBlank('groupName', req.groupName, 'groupName cannot be null');
  pattern('groupName', req.groupName);
  return req;
}

/** `JobTriggerApiRequest`. */
export function jobTriggerRequest(raw: unknown): { jobId: number; tmpArgsStr?: string } {
  const b = objectBody(raw);
  const jobId = intField(b, 'jobId');
  notNull('jobId', jobId, 'jobId cannot be null');
  return { jobId: jobId!, tmpArgsStr: stringField(b, 'tmpArgsStr') };
}

/** `JobTriggerBizIdRequest`. */
export function bizIdTriggerRequest(raw: unknown): { bizId: string; tmpArgsStr?: string } {
  const b = objectBody(raw);
  const bizId = stringField(b, 'bizId');
  notBlank('bizId', bizId, 'bizId cannot be blank');
  return { bizId: bizId!, tmpArgsStr: stringField(b, 'tmpArgsStr') };
}

/** `StatusUpdateApiRequest`. */
export function statusRequest(raw: unknown): { id: number; status: number } {
  const b = objectBody(raw);
  const id = intField(b, 'id');
  const status = intField(b, 'status');
  notNull('id', id, 'id cannot be null');
  notNull('status', status, 'status cannot be null');
  return { id: id!, status: status! };
}

/** `StatusUpdateBizIdRequest` / `WorkflowStatusUpdateBizIdRequest`. */
export function bizIdStatusRequest(raw: unknown): { bizId: string; status: number } {
  const b = objectBody(raw);
  const bizId = stringField(b, 'bizId');
  const status = intField(b, 'status');
  notBlank('bizId', bizId, 'bizId cannot be blank');
  notNull('status', status, 'status cannot be null');
  return { bizId: bizId!, status: status! };
}

/** `WorkflowTriggerApiRequest`: the deprecated `jobId` is still `@NotNull`. */
export function workflowTriggerRequest(raw: unknown): { workflowId: number; tmpWfContext?: string } {
  const b = objectBody(raw);
  const jobId = intField(b, 'jobId');
  const workflowId = intField(b, 'workflowId');
  notNull('jobId', jobId, 'jobId cannot be null');
  notNull('workflowId', workflowId, 'workflowId cannot be null');
  stringField(b, 'tmpArgsStr');
  return { workflowId: workflowId!, tmpWfContext: stringField(b, 'tmpWfContext') };
}

/**
 * `WorkflowTriggerBizIdRequest`: it inherits `@NotNull workflowId` from `WorkflowTriggerRequest`, so a call with
 * only `bizId` is rejected (protocol notes, open question 5).
 */
export function workflowBizIdTriggerRequest(raw: unknown): { bizId: string; tmpWfContext?: string } {
  const b = objectBody(raw);
  const bizId = stringField(b, 'bizId');
  notBlank('bizId', bizId, 'bizId cannot be blank');
  notNull('workflowId', intField(b, 'workflowId'), 'workflowId cannot be null');
  return { bizId: bizId!, tmpWfContext: stringField(b, 'tmpWfContext') };
}

/** A `@RequestBody @NotEmpty @Size(max = 100) Set<Long>` / `Set<String>` parameter. */
export function idSet<T extends 'long' | 'string'>(
  raw: unknown,
  kind: T,
  emptyMessage: string,
): T extends 'long' ? number[] : string[] {
  if (!Array.isArray(raw)) throw new OpenApiParamError('the body must be a JSON array');
  const values =
    kind === 'long'
      ? raw.map((v) => {
          const n = intField({ v }, 'v');
          if (n === undefined) throw new OpenApiParamError('null id');
          return n;
        })
      : raw.map((v) => {
          const s = stringField({ v }, 'v');
          if (s === undefined) throw new OpenApiParamError('null bizId');
          return s;
        });
  const unique = [...new Set<number | string>(values)];
  if (unique.length === 0) throw new OpenApiError(emptyMessage);
  if (unique.length > 100) throw new OpenApiError('Maximum 100 deletions');
  return unique as T extends 'long' ? number[] : string[];
}

/** `DeleteBizIdRequest`: `{"bizIds": [...]}`. */
export function deleteBizIdRequest(raw: unknown): string[] {
  const b = objectBody(raw);
  const list = b.bizIds;
  if (list !== undefined && list !== null && !Array.isArray(list))
    throw new OpenApiParamError('bizIds is not an array');
  const bizIds = [...new Set(((list ?? []) as unknown[]).map((v) => stringField({ v }, 'v') ?? ''))];
  if (bizIds.length === 0) invalid('bizIds', 'bizIds cannot be null', list === undefined ? undefined : '[]');
  if (bizIds.length > 100) invalid('bizIds', 'Maximum 100 deletions', `[${bizIds.join(', ')}]`);
  return bizIds;
}

/** A required `@RequestParam` (missing → "Parameter exception"); `long` also rejects non-numbers. */
export function queryParam(value: unknown, kind: 'long' | 'string'): string {
  if (typeof value !== 'string') throw new OpenApiParamError('missing request parameter');
  if (kind === 'long' && !/^\s*[+-]?\d+\s*$/.test(value)) throw new OpenApiParamError('type mismatch');
  return value.trim();
}
