import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_NAMESPACE, DEMO_GROUP, DEMO_TOKEN } from 'nestjs-snail-job/protocol';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = 'apps/dev-server/dist/cli/snail-dev.js';
const AUTH = { namespace: DEFAULT_NAMESPACE, 'group-name': DEMO_GROUP, token: DEMO_TOKEN };

interface Running {
  child: ChildProcess;
  output: () => string;
  baseUrl: string;
  grpc: string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      process.kill(c.pid!, 'SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'snail-dev-'));
  dirs.push(d);
  return d;
}

/** Starts `snail-dev` on ephemeral ports and waits for its ready banner. */
async function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [BIN, '--grpc-port', '0', '--http-port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 20_000;
  while (!/Ctrl-C to stop/.test(out)) {
    if (child.exitCode !== null) throw new Error(`snail-dev exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`snail-dev did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const baseUrl = /console\s+(http:\/\/\S+)\//.exec(out)![1];
  const grpc = /gRPC\s+(\S+)/.exec(out)![1];
  return { child, output: () => out, baseUrl, grpc, exited };
}

async function openApi(baseUrl: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${baseUrl}/snail-job/api${path}`, {
    method,
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as { status: number; message: string; data: unknown };
}

const job = (n: number) => ({
  groupName: DEMO_GROUP,
  jobName: `job-${n}`,
  executorInfo: 'x',
  triggerType: 99,
  triggerInterval: '*',
  taskType: 1,
});

describe('snail-dev (the dev server command)', () => {
  it('prints the console URL and gRPC address, serves, and stops cleanly on SIGINT', async () => {
    const s = await start(['--in-memory', '--group', 'team_a', '--token', 'SJ_team_a']);
    expect(s.output()).toMatch(/console\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(s.output()).toMatch(/OpenAPI\s+http:\/\/127\.0\.0\.1:\d+\/snail-job\/api/);
    expect(s.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(s.output()).toContain('data      in memory');
    expect(await openApi(s.baseUrl, 'GET', '/job/exists?id=1')).toEqual({
      status: 1,
      message: 'Request succeeded',
      data: null,
    });
    const groups = (await (await fetch(`${s.baseUrl}/api/groups`)).json()) as { groupName: string }[];
    expect(groups.map((g) => g.groupName)).toContain('team_a');
    process.kill(s.child.pid!, 'SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain('SIGINT received, closing the dev server');
    expect(s.output()).toContain('dev server closed');
  }, 30_000);

  it('rejects bad flags with exit code 2', async () => {
    const child = spawn(process.execPath, [BIN, '--http-port', 'eighty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('--http-port must be an integer from 0 to 65535; got "eighty".');
  });

  it('killed while jobs are being written, it restarts with every acknowledged job but at most the last', async () => {
    const dataDir = tempDir();
    const first = await start(['--data-dir', dataDir]);
    expect(first.output()).toContain(`data      ${dataDir}`);
    const acknowledged: number[] = [];
    let stop = false;
    // Four writers keep requests in flight while the server is killed.
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let n = w; !stop; n += 4) {
        try {
          const r = await openApi(first.baseUrl, 'POST', '/job/add', job(n));
          if (r.status === 1) acknowledged.push(r.data as number);
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acknowledged.length < 80) await new Promise((r) => setTimeout(r, 5));
    process.kill(first.child.pid!, 'SIGKILL');
    stop = true;
    await first.exited;
    await Promise.all(writers);

    const second = await start(['--data-dir', dataDir]);
    const missing: number[] = [];
    for (const id of acknowledged) {
      const r = await openApi(second.baseUrl, 'GET', `/job/exists?id=${id}`);
      if (r.data === null) missing.push(id);
    }
    expect(missing.length).toBeLessThanOrEqual(1);
    if (missing.length === 1) expect(missing[0]).toBe(Math.max(...acknowledged));
    // New ids continue after the loaded ones.
    const added = await openApi(second.baseUrl, 'POST', '/job/add', job(-1));
    expect(added.data as number).toBeGreaterThan(Math.max(...acknowledged));
    process.kill(second.child.pid!, 'SIGINT');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
