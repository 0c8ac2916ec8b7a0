import { fork, type ChildProcess } from 'node:child_process';
import type { IpcReply } from './ipc.js';

/** Options of {@link BenchChild.start}. */
export interface ChildOptions {
  args?: string[];
  execArgv?: string[];
  env?: Record<string, string>;
  /** Wait for the child's `{ ready: true }` message (default) or only for the process to spawn. */
  waitReady?: boolean;
  /** Where the child's stdout goes: dropped (default, keeps log-heavy children cheap) or shown. */
  stdout?: 'ignore' | 'inherit';
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
let profileDir: string | undefined;

/** Runs every child started from now on under `--cpu-prof`, writing its profile into `dir`. */
export function profileChildrenInto(dir: string): void {
  profileDir = dir;
}

/** Kills every child still alive (last resort on exit, error or Ctrl-C). */
export function killAllChildren(): void {
  for (const c of live) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  live.clear();
}

/** A forked bench process with request/reply over IPC. */
export class BenchChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: Promise<void>;
  ready: Record<string, unknown> = {};

  private constructor(readonly process: ChildProcess) {
    live.add(process);
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    process.on('message', (message: IpcReply | Record<string, unknown>) => {
      const reply = message as IpcReply;
      if (typeof reply.id !== 'number') return;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error ?? 'child command failed'));
    });
    process.once('exit', (code, signal) => {
      live.delete(process);
      for (const w of this.pending.values()) w.reject(new Error(`child exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Forks `script` and (by default) waits until it announces it is ready. */
  static async start(script: string, options: ChildOptions = {}): Promise<BenchChild> {
    const child = fork(script, options.args ?? [], {
      execArgv: [
        ...(options.execArgv ?? []),
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', options.stdout === 'inherit' ? 'inherit' : 'ignore', 'inherit', 'ipc'],
    });
    const bench = new BenchChild(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script} did not start within ${options.readyTimeoutMs ?? 15_000} ms`)),
        options.readyTimeoutMs ?? 15_000,
      );
      const done = (error?: Error): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.off('spawn', onSpawn);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (m: Record<string, unknown>): void => {
        if (m && m.ready === true) {
          bench.ready = m;
          done();
        }
      };
      const onExit = (code: number | null): void => done(new Error(`${script} exited early (code ${code})`));
      const onSpawn = (): void => {
        if (options.waitReady === false) done();
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.on('spawn', onSpawn);
    }).catch(async (error: unknown) => {
      await bench.stop(1_000);
      throw error;
    });
    return bench;
  }

  get pid(): number {
    return this.process.pid ?? 0;
  }

  /** Sends a command and waits for its reply. */
  request<T>(cmd: string, arg?: unknown, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`child command ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.process.send({ id, cmd, arg });
    });
  }

  /**
   * Asks the child to exit normally (so a CPU profile gets written), falls back to SIGTERM, then SIGKILL after
   * `graceMs`; resolves once the process is gone.
   */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    if (this.process.connected) this.request('exit', undefined, graceMs).catch(() => undefined);
    else this.process.kill('SIGTERM');
    const term = setTimeout(() => this.process.kill('SIGTERM'), graceMs / 2);
    const kill = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(term);
    clearTimeout(kill);
  }
}
