import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatchBody } from './support/dispatch.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { sleep, waitUntil } from './support/wait.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const APP = path.join(root, 'test/support/no-shutdown-hooks-app.mjs');

interface AppProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startApp(serverPort: number, env: Record<string, string> = {}): AppProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SNAIL_')));
  const child = spawn(process.execPath, [APP], {
    cwd: root,
    env: {
      ...clean,
      SNAIL_SERVER_PORT: String(serverPort),
      SNAIL_HOST_PORT: '0',
      SNAIL_BIND_HOST: '127.0.0.1',
      SNAIL_HOST_IP: '127.0.0.1',
      SNAIL_SHUTDOWN_GRACE_MS: '5000',
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

describe('SIGTERM when the app forgot app.enableShutdownHooks()', () => {
  const cleanup: (() => unknown)[] = [];
  let app: AppProcess | undefined;

  beforeAll(() => {
    // The fixture runs on the built package, as an installed app would.
    if (!fs.existsSync(path.join(root, 'libs/snail-job/dist/esm/index.js')))
      throw new Error('run `npm run build:lib` first (npm test does)');
  });

  afterEach(async () => {
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      process.kill(app.child.pid!, 'SIGKILL');
      await app.exited;
    }
    app = undefined;
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function dispatchSlowJob(server: RawServer, taskId: number): Promise<void> {
    const [beat] = await server.waitFor('/beat', 1, 15_000);
    const caller = new RawCaller(Number(beat.headers['host-port']));
    cleanup.push(() => caller.close());
    expect(
      await caller.call(
        '/job/dispatch/v1',
        dispatchBody({ executorInfo: 'slowJob', taskId, taskBatchId: taskId }),
      ),
    ).toMatchObject({ status: 1, data: 'true' });
  }

  it('lets the running task finish, delivers its report, warns with the fix, then dies of the signal', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    app = startApp(server.port, { SLOW_JOB_MS: '1000' });
    await dispatchSlowJob(server, 7);
    await sleep(200);
    process.kill(app.child.pid!, 'SIGTERM');
    // Re-raised after the drain: the process ends as Node's default action ends it (no exit code, the signal).
    expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(server.reports()).toEqual([
      expect.objectContaining({
        taskId: 7,
        taskStatus: 3,
        executeResult: expect.objectContaining({ result: { slept: 1000 } }),
      }),
    ]);
    const output = app.output();
    expect(output).toContain(
      'SIGTERM received and nothing else handles it (app.enableShutdownHooks() is off)',
    );
    expect(output).toMatch(/SnailJob client stopped in \d+ ms/);
  });

  it('a second SIGTERM during the drain stops waiting: the process dies at once', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    app = startApp(server.port, { SLOW_JOB_MS: '20000' });
    await dispatchSlowJob(server, 8);
    await sleep(200);
    process.kill(app.child.pid!, 'SIGTERM');
    await waitUntil(() => app!.output().includes('SIGTERM received'), 5_000, 'the drain warning');
    const t0 = Date.now();
    process.kill(app.child.pid!, 'SIGTERM');
    expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('leaves the signal to Nest when its shutdown hooks are on (no warning, the module drains in app.close())', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    app = startApp(server.port, { SLOW_JOB_MS: '500', SHUTDOWN_HOOKS: '1' });
    await dispatchSlowJob(server, 9);
    await sleep(100);
    process.kill(app.child.pid!, 'SIGTERM');
    expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(server.reports()).toEqual([expect.objectContaining({ taskId: 9, taskStatus: 3 })]);
    expect(app.output()).not.toContain('nothing else handles it');
  });
});
