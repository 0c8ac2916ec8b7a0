import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnailJob } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody, freePort } from './support/dispatch.js';
import { ensureExampleBuilt, startExample, type ExampleProcess } from './support/example-process.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { sleep, waitUntil } from './support/wait.js';

/** Same executor name as the example app, for the in-process restart. */
@Injectable()
class HelloJobs {
  @SnailJob('helloJob')
  hello() {
    return 'hello from the restarted client';
  }
}

describe('the example app as a real process', () => {
  const cleanup: (() => unknown)[] = [];
  let proc: ExampleProcess | undefined;

  beforeAll(() => ensureExampleBuilt(), 120_000);

  afterEach(async () => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    proc = undefined;
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function startAgainst(server: RawServer, env: Record<string, string>): Promise<RawCaller> {
    proc = startExample({ SNAIL_SERVER_PORT: String(server.port), SNAIL_HOST_PORT: '0', ...env });
    const [beat] = await server.waitFor('/beat', 1, 10_000);
    const caller = new RawCaller(Number(beat.headers['host-port']));
    cleanup.push(() => caller.close());
    return caller;
  }

  it('on SIGTERM lets a running task finish, delivers its report and exits with code 0', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    const caller = await startAgainst(server, { SNAIL_SHUTDOWN_GRACE_MS: '5000' });
    const steps = JSON.stringify({ jobParams: '4' }); // slowJob: 4 steps of 250 ms
    expect(
      await caller.call(
        '/job/dispatch/v1',
        dispatchBody({ executorInfo: 'slowJob', argsStr: steps, taskId: 1 }),
      ),
    ).toMatchObject({ status: 1, data: 'true' });
    await sleep(200);
    const t0 = Date.now();
    proc!.child.kill('SIGTERM');
    const exit = await proc!.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(server.reports()).toEqual([
      expect.objectContaining({
        taskId: 1,
        taskStatus: 3,
        executeResult: expect.objectContaining({ result: { steps: 4 } }),
      }),
    ]);
    expect(proc!.output()).toMatch(/SnailJob client stopped in \d+ ms\n/);
  });

  it('on SIGTERM aborts what outlives the grace period, reports it as failed, and exits with code 0', async () => {
    const server = await new RawServer().start();
    cleanup.push(() => server.close());
    const caller = await startAgainst(server, { SNAIL_SHUTDOWN_GRACE_MS: '300' });
    const steps = JSON.stringify({ jobParams: '40' }); // 10 s
    await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'slowJob', argsStr: steps, taskId: 2 }),
    );
    await sleep(200);
    proc!.child.kill('SIGTERM');
    expect(await proc!.exited).toEqual({ code: 0, signal: null });
    expect(server.reports()).toEqual([
      expect.objectContaining({
        taskId: 2,
        taskStatus: 4,
        executeResult: expect.objectContaining({
          message: 'Task aborted: the client shut down before it finished',
        }),
      }),
    ]);
    expect(proc!.output()).toContain('Shutdown grace period of 300 ms');
  });

  it('with outboxDir, reports of a process killed with SIGKILL are delivered by the next start, once each', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sj-outbox-e2e-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const serverPort = await freePort(); // the server is down while the first process runs
    const clientPort = await freePort();
    proc = startExample({
      SNAIL_SERVER_PORT: String(serverPort),
      SNAIL_HOST_PORT: String(clientPort),
      SNAIL_OUTBOX_DIR: dir,
    });
    const outbox = path.join(dir, 'results-snail_job_demo_group.jsonl');
    await waitUntil(() => /listening on 127\.0\.0\.1:\d+/.test(proc!.output()), 10_000, 'example app start');
    const caller = new RawCaller(clientPort);
    cleanup.push(() => caller.close());
    for (const taskId of [11, 12, 13]) {
      expect(
        await caller.call(
          '/job/dispatch/v1',
          dispatchBody({ executorInfo: 'helloJob', taskId, taskBatchId: taskId }),
        ),
      ).toMatchObject({ data: 'true' });
    }
    const adds = () =>
      fs.existsSync(outbox) ? (fs.readFileSync(outbox, 'utf8').match(/"add":/g)?.length ?? 0) : 0;
    await waitUntil(() => adds() === 3, 3_000, 'three reports in the outbox');
    proc.child.kill('SIGKILL');
    expect(await proc.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const server = await new RawServer().start(serverPort);
    cleanup.push(() => server.close());
    const app = await startClientApp(clientOptions(serverPort, { outboxDir: dir }), [HelloJobs]);
    cleanup.push(() => app.close());
    await server.waitFor('/report/dispatch/result', 3, 5_000);
    await sleep(300);
    const reports = server.reports();
    expect(reports.map((r) => r.taskId).sort()).toEqual([11, 12, 13]);
    expect(reports[0]).toMatchObject({ taskStatus: 3, executeResult: { result: 'hello, hello' } });
    await waitUntil(() => fs.readFileSync(outbox, 'utf8') === '', 1_000, 'outbox emptied');
  });
});
