import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The compiled example app (`npm run build`). */
export const EXAMPLE_MAIN = path.join(root, 'apps/example/dist/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds the library and the example app unless their compiled output is newer than every source file (CI
 * builds before testing, so this is normally a quick check).
 */
export function ensureExampleBuilt(): void {
  const sources = Math.max(
    newestMtime(path.join(root, 'libs/snail-job/src')),
    newestMtime(path.join(root, 'apps/example/src')),
  );
  const lib = path.join(root, 'libs/snail-job/dist/index.js');
  if (fs.existsSync(EXAMPLE_MAIN) && fs.existsSync(lib) && fs.statSync(lib).mtimeMs >= sources) {
    if (fs.statSync(EXAMPLE_MAIN).mtimeMs >= sources) return;
  }
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore', timeout: 120_000 });
}

/** A running example app: its output so far (colours removed) and a promise of its exit. */
export interface ExampleProcess {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the compiled example app with `env` added to a clean SNAIL_* environment. */
export function startExample(env: Record<string, string>): ExampleProcess {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SNAIL_') && k !== 'NODE_ENV'),
  );
  const child = spawn(process.execPath, [EXAMPLE_MAIN], {
    cwd: root,
    env: {
      ...clean,
      PORT: '0',
      HTTP_HOST: '127.0.0.1',
      SNAIL_BIND_HOST: '127.0.0.1',
      SNAIL_HOST_IP: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // eslint-disable-next-line no-control-regex
  return { child, output: () => out.replace(/\x1b\[[0-9;]*m/g, ''), exited };
}
