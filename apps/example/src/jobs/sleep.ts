import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, or less when `signal` aborts (then resolves, so the caller checks `signal.aborted`). Node's timer
 * removes its abort listener when it settles, so a handler may call it once per step without piling listeners
 * on the task's signal.
 */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
