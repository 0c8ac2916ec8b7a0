import { parseJson } from './json.js';
import type { JobArgsHolder } from './payloads.js';

/**
 * Parses a dispatch's `argsStr` (JSON text of `{"jobParams":…,"maps":…,"reduces":…}`). Like the Java client,
 * text that is not a JSON object is taken whole as `jobParams`; absent `argsStr` yields an empty holder.
 */
export function parseArgsHolder(argsStr: string | undefined | null): JobArgsHolder {
  if (argsStr === undefined || argsStr === null || argsStr === '') return {};
  let parsed: unknown;
  try {
    parsed = parseJson(argsStr);
  } catch {
    return { jobParams: argsStr };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { jobParams: argsStr };
  return parsed as JobArgsHolder;
}

/** `jobParams` as the string user code sees (non-string JSON values are re-serialised; absent → undefined). */
export function jobParamsText(holder: JobArgsHolder): string | undefined {
  const p = holder.jobParams;
  if (p === undefined || p === null) return undefined;
  return typeof p === 'string'
    ? p
    : JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * A `maps` / `reduces` list as the server sends it: a JSON array of strings, or (Java tolerance) one string
 * holding a JSON array. Anything else becomes an empty list.
 */
export function stringList(value: unknown): string[] {
  let v = value;
  if (typeof v === 'string') {
    if (v === '') return [];
    try {
      v = parseJson(v);
    } catch {
      return [v as string];
    }
  }
  if (!Array.isArray(v)) return [];
  return v.map((e) =>
    typeof e === 'string'
      ? e
      : JSON.stringify(e, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)),
  );
}

/** Parses a workflow context text (`wfContext`); blank or invalid text → empty object. */
export function parseWfContext(text: string | undefined | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = parseJson(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
