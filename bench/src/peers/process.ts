import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { createServer } from 'node:net';

const live = new Set<ManagedProcess>();

/** A free loopback port (bound to 0, read, closed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await condition()) return performance.now() - start;
    if (performance.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A child process (its own process group), its output kept in memory (the last 64 KiB) and copied to a log file;
 * stopped by PID with SIGTERM, then SIGKILL after 5 s. Every one still running is killed on exit.
 */
export class ManagedProcess {
  readonly child: ChildProcess;
  output = '';
  exitCode: number | null = null;
  exitSignal: string | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    options: { env: NodeJS.ProcessEnv; cwd?: string; log: WriteStream },
  ) {
    this.child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(this);
    const keep = (chunk: Buffer): void => {
      options.log.write(chunk);
      this.output = (this.output + chunk.toString('utf8')).slice(-65_536);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        live.delete(this);
        options.log.end();
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private signal(sig: NodeJS.Signals): void {
    try {
      // The process group: a JVM or a Python interpreter may have started helpers of its own.
      process.kill(-this.pid, sig);
    } catch {
      try {
        process.kill(this.pid, sig);
      } catch {
        // already gone
      }
    }
  }
}

/** Kills every child still running (on exit, Ctrl-C or an error), by PID. */
export function killAllManaged(): void {
  for (const p of live) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
