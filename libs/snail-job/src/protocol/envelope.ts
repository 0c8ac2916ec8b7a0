import { parseJson, stringifyJson } from './json.js';
import type { WireResult } from './proto-descriptor.js';

/** Encodes the arguments of a logical call as the envelope `body` (a JSON array; no arguments → `null`). */
export function encodeBody(args: readonly unknown[] | null): string {
  return args === null ? 'null' : stringifyJson(args);
}

/** Error thrown when an envelope body is not a JSON array (or `null`). */
export class MalformedBodyError extends Error {
  constructor(reason: string) {
    super(`Malformed request body: ${reason}`);
    this.name = 'MalformedBodyError';
  }
}

/**
 * Decodes an envelope `body` into its argument list. `null`, `""` and `"null"` mean no arguments.
 * Throws {@link MalformedBodyError} for anything that is not a JSON array.
 */
export function decodeBody(body: string | undefined | null): unknown[] {
  if (body === undefined || body === null || body === '' || body === 'null') return [];
  let parsed: unknown;
  try {
    parsed = parseJson(body);
  } catch (e) {
    throw new MalformedBodyError((e as Error).message);
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw new MalformedBodyError('expected a JSON array of arguments');
  return parsed;
}

/** Encodes a `GrpcResult.data` value as JSON text (`undefined`/`null` → `"null"`). */
export function encodeData(value: unknown): string {
  return value === undefined ? 'null' : stringifyJson(value);
}

/** Decodes `GrpcResult.data`; `""` and `"null"` → `null`; text that is not JSON is returned as is. */
export function decodeData(data: string | undefined | null): unknown {
  if (data === undefined || data === null || data === '' || data === 'null') return null;
  try {
    return parseJson(data);
  } catch {
    return data;
  }
}

/** Builds a `GrpcResult`. */
export function wireResult(
  status: 0 | 1,
  data: unknown,
  message = '',
  reqId: string | number = 0,
): WireResult {
  return { reqId, status, message, data: encodeData(data) };
}

/** True when a reply means "yes": `status == 1` and data is `true` (the dispatch acceptance rule). */
export function isAccepted(result: Pick<WireResult, 'status' | 'data'>): boolean {
  return result.status === 1 && decodeData(result.data) === true;
}

/** True when a reply to a C→S call counts as delivered: status 1 (data may be anything but `false`). */
export function isConfirmed(result: Pick<WireResult, 'status' | 'data'>): boolean {
  return result.status === 1 && decodeData(result.data) !== false;
}
