/** "3 s ago", "2 min ago". */
export function ago(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** Local wall-clock time with milliseconds. */
export function clock(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A batch's run time so far or in total. */
export function duration(from: number, to: number | null): string {
  const ms = (to ?? Date.now()) - from;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** JSON text pretty-printed, or as it is when it is not JSON. */
export function prettyJson(text: string | null | undefined): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** SnailJob's task types (`JobTaskTypeEnum`). */
export const TASK_TYPES: Record<number, string> = {
  1: 'CLUSTER',
  2: 'BROADCAST',
  3: 'SHARDING',
  4: 'MAP',
  5: 'MAP_REDUCE',
};

/** Routing (`AllocationAlgorithmEnum`). */
export const ROUTE_KEYS: Record<number, string> = {
  1: 'CONSISTENT_HASH',
  2: 'RANDOM',
  3: 'LRU',
  4: 'ROUND',
  5: 'FIRST',
  6: 'LAST',
};

/** Block strategies (`JobBlockStrategyEnum`). */
export const BLOCK_STRATEGIES: Record<number, string> = {
  1: 'DISCARD',
  2: 'OVERLAY',
  3: 'CONCURRENCY',
  4: 'RECOVERY',
};

/** Schedules (`TriggerTypeEnum`); 99 = only by hand or in a workflow. */
export const TRIGGER_TYPES: Record<number, string> = {
  99: 'none (by hand, workflows)',
  2: 'FIXED (seconds)',
  3: 'CRON',
  5: 'POINT_IN_TIME',
};
