import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @nestjs/terminus and prom-client are optional peers (docs/installation.md): an app that switches health and
// metrics off must boot without them. Proven on the built package (`npm run build:lib`; `npm test` builds
// first) in a temporary directory whose node_modules has every package of ours but those two.
const root = path.resolve(import.meta.dirname, '..');
const pkgDir = path.join(root, 'libs/snail-job');
const OPTIONAL = new Set(['@nestjs/terminus', 'prom-client']);
const run = promisify(execFile);

interface Outcome {
  terminus: boolean;
  promClient: boolean;
  health?: number;
  metrics?: number;
  error?: string;
}

/** A directory with the packed files of the library and links to every installed package but the two. */
function appDirWithoutOptionalPeers(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snail-optional-peers-'));
  const modules = path.join(dir, 'node_modules');
  const link = (name: string) =>
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(modules, name), 'dir');
  for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (entry.startsWith('.') || entry === 'nestjs-snail-job' || OPTIONAL.has(entry)) continue;
    if (!entry.startsWith('@')) {
      fs.mkdirSync(modules, { recursive: true });
      link(entry);
      continue;
    }
    fs.mkdirSync(path.join(modules, entry), { recursive: true });
    for (const scoped of fs.readdirSync(path.join(root, 'node_modules', entry))) {
      if (!OPTIONAL.has(`${entry}/${scoped}`)) link(`${entry}/${scoped}`);
    }
  }
  // A copy, not a link: a link's real path would resolve the peers from the repository's node_modules.
  const lib = path.join(modules, 'nestjs-snail-job');
  fs.cpSync(path.join(pkgDir, 'dist'), path.join(lib, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(pkgDir, 'package.json'), path.join(lib, 'package.json'));
  fs.copyFileSync(path.join(root, 'test/support/optional-peers-app.mjs'), path.join(dir, 'app.mjs'));
  return dir;
}

describe('optional peers @nestjs/terminus and prom-client', () => {
  let dir: string;

  beforeAll(() => {
    if (!fs.existsSync(path.join(pkgDir, 'dist/index.js'))) throw new Error('run `npm run build:lib` first');
    dir = appDirWithoutOptionalPeers();
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the app (its own process, stopped by execFile's timeout at the latest) and reads its JSON line. */
  async function boot(mode: 'cjs' | 'esm', options: Record<string, unknown>): Promise<Outcome> {
    const snailOptions = {
      server: { host: '127.0.0.1', port: 1 },
      client: { host: '127.0.0.1', port: 0, bindHost: '127.0.0.1' },
      ...options,
    };
    const { stdout } = await run(process.execPath, ['app.mjs'], {
      cwd: dir,
      timeout: 30_000,
      env: { PATH: process.env['PATH'], MODE: mode, SNAIL_OPTIONS: JSON.stringify(snailOptions) },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Outcome;
  }

  for (const mode of ['cjs', 'esm'] as const) {
    it(`boots with health and metrics off while neither package resolves (${mode})`, async () => {
      expect(await boot(mode, { health: false, metrics: false })).toEqual({
        terminus: false,
        promClient: false,
        health: 404,
        metrics: 404,
      });
    });
  }

  it('refuses to start with health on, naming the package to install and the switch', async () => {
    const { error } = await boot('cjs', { metrics: false });
    expect(error).toContain('SnailJob health is on (option health / SNAIL_HEALTH_PATH)');
    expect(error).toContain('npm install @nestjs/terminus');
  });

  it('refuses to start with metrics on, naming the package to install and the switch', async () => {
    const { error } = await boot('esm', { health: false });
    expect(error).toContain('SnailJob metrics is on (option metrics / SNAIL_PROMETHEUS_PATH)');
    expect(error).toContain('npm install prom-client');
  });
});
