import { execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

/**
 * Cleanup that must run however the test process ends: normally, on a thrown error, or on SIGINT/SIGTERM/
 * SIGHUP. Each entry is synchronous (kill by PID, remove a directory) so that it also works from an `exit`
 * handler. Entries run newest first and each at most once.
 */
const cleanups = new Map<number, () => void>();
let nextCleanupId = 1;
let trapsInstalled = false;

function runAllCleanups(): void {
  for (const id of [...cleanups.keys()].reverse()) {
    const fn = cleanups.get(id);
    cleanups.delete(id);
    try {
      fn?.();
    } catch {
      // best effort: the next cleanup still runs
    }
  }
}

function installTraps(): void {
  if (trapsInstalled) return;
  trapsInstalled = true;
  process.once('exit', runAllCleanups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAllCleanups();
      process.kill(process.pid, signal);
    });
  }
}

/** Registers a synchronous cleanup; returns the function that runs it now and unregisters it. */
export function onExit(fn: () => void): () => void {
  installTraps();
  const id = nextCleanupId++;
  cleanups.set(id, fn);
  return () => {
    if (!cleanups.delete(id)) return;
    fn();
  };
}

/** Whether a process with this PID exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to `pid`, ignoring a process that is already gone. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && signal(child.pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The first executable found: `candidates` are absolute paths or names looked up on PATH. */
export function findExecutable(...candidates: string[]): string | undefined {
  for (const c of candidates) {
    if (c.includes('/')) {
      if (fs.existsSync(c)) return c;
      continue;
    }
    try {
      const found = execFileSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

/** The last `lines` lines of a file, or '' when it cannot be read. */
export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Polls `check` every `everyMs` until it resolves true; throws `what` with `detail()` after `timeoutMs`. */
export async function pollUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  detail: () => string = () => '',
  everyMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const more = detail();
      throw new Error(`${what} not reached within ${timeoutMs} ms${more ? `\n${more}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
