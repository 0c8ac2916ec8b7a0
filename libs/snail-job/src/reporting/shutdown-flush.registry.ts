import { Injectable } from '@nestjs/common';

/** Sends what a reporter still holds; resolves with whether everything went out within `timeoutMs`. */
export type ShutdownFlush = (timeoutMs: number) => Promise<boolean>;

/**
 * Reporters that hold data for the server (result reports, real-time logs, …) register a flush here. At
 * shutdown the lifecycle runs them all in parallel, after running tasks ended or were aborted (so their last
 * reports and logs exist) and before the channel to the server closes:
 *
 * ```ts
 * constructor(flushes: ShutdownFlushRegistry) {
 *   flushes.register('task logs', (timeoutMs) => this.flush(timeoutMs));
 * }
 * ```
 */
@Injectable()
export class ShutdownFlushRegistry {
  private readonly flushes = new Map<string, ShutdownFlush>();

  /** Adds (or replaces) the flush named `name`. */
  register(name: string, flush: ShutdownFlush): void {
    this.flushes.set(name, flush);
  }

  /** Runs every flush; resolves with the names of those that did not finish in time (empty when all did). */
  async flushAll(timeoutMs: number): Promise<string[]> {
    const results = await Promise.all(
      [...this.flushes].map(async ([name, flush]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        });
        const done = await Promise.race([flush(timeoutMs).catch(() => false), timeout]);
        clearTimeout(timer);
        return done ? undefined : name;
      }),
    );
    return results.filter((name): name is string => name !== undefined);
  }
}
