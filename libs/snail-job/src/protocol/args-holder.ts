import { JsonNestingError, parseJson, stringifyJson } from './json.js';
import type { JobArgsHolder } from './payloads.js';

/**
 * Parses a dispatch's `argsStr` (JSON text of `{"jobParams":…,"maps":…,"reduces":…}`). Like the Java client,
 * text that is not a JSON object is taken whole as `jobParams`; absent `argsStr` yields an empty holder. A
 * document nested too deep is refused ({@link JsonNestingError} naming `argsStr`), never taken as raw text.
 */
export function parseArgsHolder(argsStr: string | undefined | null): JobArgsHolder {
  if (argsStr === undefined || argsStr === null || argsStr === '') return {};
  let parsed: unknown;
  try {
    parsed = parseJson(argsStr);
  } catch (error) {
    if (error instanceof JsonNestingError) throw error.of('argsStr');
    return { jobParams: argsStr };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { jobParams: argsStr };
  return parsed as JobArgsHolder;
}

/**
 * `jobParams` as the string user code sees (absent → undefined). A non-string JSON value is written back as JSON,
 * long integers as the numbers they were.
 */
export function jobParamsText(holder: JobArgsHolder): string | undefined {
  const p = holder.jobParams;
  if (p === undefined || p === null) return undefined;
  return typeof p === 'string' ? p : stringifyJson(p);
}

/**
 * A `maps` / `reduces` list as the server sends it: a JSON array of strings, or (Java tolerance) one string
 * holding a JSON array. Anything else becomes an empty list; a non-string element is written back as JSON (long
 * integers as the numbers they were). `name` labels a refusal for a list nested too deep.
 */
export function stringList(value: unknown, name = 'list'): string[] {
  let v = value;
  if (typeof v === 'string') {
    if (v === '') return [];
    try {
      v = parseJson(v);
    } catch (error) {
      if (error instanceof JsonNestingError) throw error.of(name);
      return [v as string];
    }
  }
  if (!Array.isArray(v)) return [];
  return v.map((e) => (typeof e === 'string' ? e : stringifyJson(e)));
}

/**
 * Parses a workflow context text (`wfContext`); blank text or text that is not a JSON object → empty object. A
 * context nested too deep is refused ({@link JsonNestingError} naming `wfContext`), never emptied.
 */
export function parseWfContext(text: string | undefined | null): Record<string, unknown> {
  if (!text) return {};
  let v: unknown;
  try {
    v = parseJson(text);
  } catch (error) {
    if (error instanceof JsonNestingError) throw error.of('wfContext');
    return {};
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
