import type { SnailId } from 'nestjs-snail-job/protocol';

/** An id as the HTTP/programmatic API returns it: a number, or a decimal string beyond 2^53 - 1. */
export type ApiId = number | string;

/** An id as the API accepts it. */
export type IdInput = number | bigint | string;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const INTEGER_TEXT = /^-?\d+$/;

function isSafe(id: bigint): boolean {
  return id <= MAX_SAFE && id >= MIN_SAFE;
}

/** An id for the API: a plain number while exact, a decimal string beyond. */
export function toApiId(id: bigint): ApiId {
  return isSafe(id) ? Number(id) : id.toString();
}

/** An id for the wire (lossless JSON): a number while exact, a bigint beyond. */
export function toWireId(id: bigint): SnailId {
  return isSafe(id) ? Number(id) : id;
}

/** Reads an id from the wire or the API (integer number, bigint, or decimal string); anything else → undefined. */
export function parseId(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) return BigInt(value.trim());
  return undefined;
}
