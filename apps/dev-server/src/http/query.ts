import { InvalidInputError } from '../errors/invalid-input.error.js';

/** Default and maximum long-poll duration. */
export const DEFAULT_WAIT_MS = 30_000;
const MAX_WAIT_MS = 600_000;

/** Parses `?timeoutMs=`. */
export function timeoutQuery(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_WAIT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_WAIT_MS) {
    throw new InvalidInputError(
      `Query "timeoutMs" must be an integer from 0 to ${MAX_WAIT_MS}; got "${value}".`,
    );
  }
  return n;
}

/** `?tree=1` / `?tree=true`. */
export function flagQuery(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

/** Parses an optional non-negative integer query. */
export function limitQuery(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidInputError(`Query "limit" must be a non-negative integer; got "${value}".`);
  return n;
}
