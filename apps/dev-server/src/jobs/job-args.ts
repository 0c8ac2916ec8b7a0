import { parseJson, stringifyJson } from 'nestjs-snail-job/protocol';
import { beanJson } from '../common/jackson-json.js';

/** The `argsStr` of a dispatch: JSON text of `{"jobParams":…,"maps":…,"reduces":…}` (absent keys omitted). */
export function argsHolderJson(holder: { jobParams?: unknown; maps?: unknown; reduces?: unknown }): string {
  return beanJson(holder);
}

/** The MAP_REDUCE args wrapper `{"shardNum":n,"argsStr":"…"}` (docs/protocol.md §5.8). */
export interface MapReduceArgs {
  /** Number of REDUCE tasks (values < 1 count as 1). */
  shardNum: number;
  /** The user's args string (`jobParams` of every stage). */
  argsStr?: string;
}

function tryParse(text: string | undefined): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text === undefined || text.trim() === '')
    return { ok: false, error: 'No content to map due to end-of-input' };
  try {
    return { ok: true, value: parseJson(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/**
 * Reads a MAP_REDUCE args wrapper. Text that is not valid JSON (blank included) is an error the server
 * cannot recover from (thrown); valid JSON that is not the wrapper silently yields no `argsStr` and one shard.
 */
export function parseMapReduceArgs(text: string | undefined): MapReduceArgs {
  const parsed = tryParse(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const v = parsed.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { shardNum: 1 };
  const wrapper = v as Record<string, unknown>;
  const raw = typeof wrapper.shardNum === 'string' ? Number(wrapper.shardNum) : wrapper.shardNum;
  const shardNum = typeof raw === 'number' && Number.isFinite(raw) ? Math.max(1, Math.trunc(raw)) : 1;
  return { shardNum, argsStr: scalarText(wrapper.argsStr) };
}

/** The inner `argsStr` of a MAP_REDUCE wrapper, or undefined when the text is not a wrapper. */
export function mapReduceParams(text: string | undefined): string | undefined {
  try {
    return parseMapReduceArgs(text).argsStr;
  } catch {
    return undefined;
  }
}

/** SHARDING args: a JSON array of strings → one element per shard; anything else → undefined (no tasks). */
export function parseShardingArgs(text: string | undefined): string[] | undefined {
  const parsed = tryParse(text);
  if (!parsed.ok || !Array.isArray(parsed.value)) return undefined;
  const shards = parsed.value.map(scalarText);
  return shards.every((s): s is string => s !== undefined) ? shards : undefined;
}

/**
 * A reported `result` as the server stores it in `result_message` (docs/protocol.md §5.8, §6.1): a string raw, any
 * other JSON value re-serialised, `null`/absent → `undefined` (the column keeps its value).
 */
export function resultText(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === 'string') return result;
  // User data is re-serialised verbatim (key order kept), bigint-aware.
  return stringifyJson(result);
}
