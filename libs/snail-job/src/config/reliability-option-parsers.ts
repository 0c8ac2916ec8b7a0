import { SnailJobConfigError } from '../errors/snail-job-config.error.js';
import type { PerExecutorLimits } from './snail-job-options.interface.js';

/** One raw setting and where it came from, as `resolveOptions` hands it over. */
interface RawSetting {
  source: string;
  value: unknown;
}

const MAX_LIMIT = 100_000;
/** What `maxConcurrentPerExecutor` accepts. */
export const PER_EXECUTOR_LIMITS = `a number from 1 to ${MAX_LIMIT}, or executor:limit pairs such as "dailyReport:2,*:16"`;

/**
 * `maxConcurrentPerExecutor`: a number (every executor), a `{ name: n }` map (`'*'` = the others), or the env
 * form `8` / `dailyReport:2,*:16`.
 */
export function perExecutorLimits(raw: RawSetting): PerExecutorLimits {
  const limits: PerExecutorLimits = { others: undefined, byExecutor: {} };
  if (raw.value === undefined) return limits;
  const expected = PER_EXECUTOR_LIMITS;
  const limit = (source: string, value: unknown): number => {
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw new SnailJobConfigError(source, value, `an integer from 1 to ${MAX_LIMIT}`);
    }
    return n;
  };
  if (typeof raw.value === 'number' || (typeof raw.value === 'string' && /^\d+$/.test(raw.value.trim()))) {
    limits.others = limit(raw.source, raw.value);
    return limits;
  }
  let entries: [string, unknown][];
  if (typeof raw.value === 'string') {
    entries = raw.value
      .split(',')
      .filter((pair) => pair.trim() !== '')
      .map((pair) => {
        const i = pair.lastIndexOf(':');
        if (i <= 0) throw new SnailJobConfigError(raw.source, raw.value, expected);
        return [pair.slice(0, i).trim(), pair.slice(i + 1).trim()];
      });
  } else if (raw.value !== null && typeof raw.value === 'object' && !Array.isArray(raw.value)) {
    entries = Object.entries(raw.value);
  } else {
    throw new SnailJobConfigError(raw.source, raw.value, expected);
  }
  for (const [name, value] of entries) {
    const n = limit(`${raw.source}.${name}`, value);
    if (name === '*') limits.others = n;
    else limits.byExecutor[name] = n;
  }
  return limits;
}

/** A directory path, or `false` / `'false'` / unset for "off". The directory is created at start-up. */
export function directory(raw: RawSetting): string | undefined {
  if (raw.value === undefined || raw.value === false || raw.value === 'false') return undefined;
  if (typeof raw.value !== 'string' || raw.value.trim() === '' || raw.value.includes('\0')) {
    throw new SnailJobConfigError(raw.source, raw.value, 'a directory path (or false to disable)');
  }
  return raw.value;
}
