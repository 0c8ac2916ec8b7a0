/**
 * The library's features beyond the Java client's protocol — built-in executors (HTTP, shell), typed params and
 * tracing — run against each target of SNAIL_E2E_TARGETS (default `dev`; `dev,real` adds the real SnailJob 2.0.2
 * server, see docs/real-server.md). Jobs are created the way the console creates them, with the argument JSON its
 * job form produces; every outcome is read from the target's own API (batch status, task status and result, logs).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, startClientApp } from './support/client-app.js';
import { beyondExecutors, beyondSeen, resetBeyondSeen } from './targets/beyond-executors.js';
import {
  obtainRealLaunch,
  printTimings,
  requestedTargets,
  skipUnavailable,
  startTarget,
  targetTitle,
  type Timings,
} from './targets/suite.js';
import {
  pollFor,
  waitForClients,
  type E2eTarget,
  type TargetBatch,
  type TargetLogLine,
} from './targets/target.js';

const GROUP = 'nest_beyond_group';
const TOKEN = 'SJ_beyondTokenForTheTargetSuite1';
const CLUSTER = 1;
const SHARDING = 3;

const requested = requestedTargets();
const real = obtainRealLaunch(requested);
const timings: Timings = {};

/** One request the local HTTP server received. */
interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A node:http server on 127.0.0.1:0 answering `/ok` 200 JSON and `/fail` 500, recording every request. */
async function startHttpServer(): Promise<{
  base: string;
  received: Received[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (req.url?.startsWith('/ok')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"closed":true,"rows":3}');
      } else {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('ledger locked');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The argsStr the console's job form saves for `snailJobHttpExecutor`: `JSON.stringify` of its HTTP form
 * (method, url, headers, body, mediaType, timeout; the method select's values are lower case). Evidence:
 * snail-job-server-ui …/admin/assets/index-*.js, the job form's `P()` defaults and its submit (`be=JSON.stringify(U)`).
 */
const consoleHttpArgs = (form: {
  method: 'get' | 'post' | 'put' | 'delete';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}) =>
  JSON.stringify({
    method: form.method,
    url: form.url,
    headers: form.headers ?? {},
    body: form.body ?? '',
    mediaType: 'application/json',
    timeout: 60,
  });

/** The argsStr the console's job form saves for the script executors: `{method, scriptParams, charset}`. */
const consoleScriptArgs = (script: string) =>
  JSON.stringify({ method: 'SCRIPT_CODE', scriptParams: script, charset: '' });

/** Whether a process is running (a zombie or a missing /proc entry counts as gone). */
function alive(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !/^\d+ \(.*\) [ZX]/.test(stat);
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  printTimings(timings);
});

for (const name of requested) {
  if (skipUnavailable(name, real)) continue;

  describe(targetTitle(name), { timeout: name === 'real' ? 240_000 : 30_000 }, () => {
    const slow = name === 'real' ? 4 : 1; // the real server schedules with second granularity
    let target: E2eTarget;
    let web: Awaited<ReturnType<typeof startHttpServer>>;
    const apps: INestApplication[] = [];
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `snail-beyond-${name}-`));
    timings[name] = {};

    /** App `A` (zone a): built-ins on, tracing off. App `T` (zone t): the same with tracing on. */
    const startApp = (app: 'A' | 'T') =>
      startClientApp(
        clientOptions(target.grpcPort, {
          group: GROUP,
          token: TOKEN,
          namespace: target.namespace,
          heartbeatIntervalMs: 1_000,
          labels: { zone: app.toLowerCase() },
          builtinExecutors: { http: true, scripts: { workspace, killGraceMs: 2_000 } },
          tracing: app === 'T',
        }),
        [beyondExecutors(app)],
      );

    beforeAll(async () => {
      const t0 = Date.now();
      web = await startHttpServer();
      target = await startTarget(name, GROUP, TOKEN, real);
      timings[name]['server start'] = Date.now() - t0;
      apps.push(await startApp('A'), await startApp('T'));
      await waitForClients(target, 2, ['snailJobHttpExecutor', 'snailJobShellJobExecutor', 'e2eTyped']);
    }, 300_000);

    afterAll(async () => {
      await Promise.all(apps.splice(0).map((a) => a.close()));
      await target?.close();
      await web?.close();
      fs.rmSync(workspace, { recursive: true, force: true });
    }, 60_000);

    afterEach(() => {
      resetBeyondSeen();
      web.received.length = 0;
      exporter.reset();
    });

    /** Creates a job on zone `a` (unless labelled otherwise), triggers it and waits for its final status. */
    async function run(
      scenario: string,
      job: Parameters<E2eTarget['createJob']>[0],
      timeoutMs = 15_000,
    ): Promise<TargetBatch & { jobId: string }> {
      const jobId = await target.createJob({ labels: { zone: 'a' }, ...job });
      const t0 = Date.now();
      const batchId = await target.trigger(jobId);
      const batch = await target.waitForBatch(batchId, timeoutMs * slow);
      timings[name][scenario] = Date.now() - t0;
      return { ...batch, jobId };
    }

    /** A task's log lines once `enough` holds (the real server stores them a moment after the report). */
    const logsOf = (batchId: string, taskId: string, enough: (lines: TargetLogLine[]) => boolean) =>
      pollFor(() => target.taskLogs(batchId, taskId), enough, 30_000, `log lines of task ${taskId}`, 500);

    describe('snailJobHttpExecutor (the console’s HTTP job type)', () => {
      it('succeeds when the endpoint answers 200: the request is the form’s, the result the body', async () => {
        const b = await run('http 200', {
          executorInfo: 'snailJobHttpExecutor',
          taskType: CLUSTER,
          argsStr: consoleHttpArgs({
            method: 'post',
            url: `${web.base}/ok/close-day`,
            headers: { 'X-Caller': 'snail-e2e' },
            body: '{"day":"2024-05-01"}',
          }),
        });
        expect(b.status).toBe('SUCCESS');
        expect(b.tasks[0].status).toBe('SUCCESS');
        expect(b.tasks[0].result).toBe('{"closed":true,"rows":3}');
        expect(web.received).toHaveLength(1);
        const [req] = web.received;
        expect(req.method).toBe('POST');
        expect(req.url).toBe('/ok/close-day');
        expect(req.headers['x-caller']).toBe('snail-e2e');
        expect(req.headers['content-type']).toBe('application/json');
        expect(req.body).toBe('{"day":"2024-05-01"}');
        const lines = await logsOf(b.id, b.tasks[0].id, (l) =>
          l.some((x) => x.message.includes('Request URL')),
        );
        const request = lines.find((l) => l.message.includes('Request URL'))!;
        expect(request.level).toBe('INFO');
        expect(request.message).toContain(`[snail-job] Request URL: ${web.base}/ok/close-day`);
        expect(request.message).toContain('Using request method: POST');
      });

      it('fails when it does not: the task’s result says the status it got and the one expected', async () => {
        const b = await run('http 500', {
          executorInfo: 'snailJobHttpExecutor',
          taskType: CLUSTER,
          argsStr: consoleHttpArgs({ method: 'get', url: `${web.base}/fail/ledger` }),
        });
        expect(b.status).toBe('FAIL');
        expect(b.tasks[0].status).toBe('FAIL');
        // The real server stores only executeResult.result as the task's result, never its message
        // (JobExecutorResultActor.java), so the reason travels in the result.
        expect(b.tasks[0].result).toBe(
          `HTTP request failed: GET ${web.base}/fail/ledger answered 500, expected 200`,
        );
        expect(web.received.map((r) => [r.method, r.url, r.body])).toEqual([['GET', '/fail/ledger', '']]);
      });

      it('inside a workflow the context arrives as headers (non-Latin-1 text Base64-encoded)', async () => {
        const jobId = await target.createJob({
          executorInfo: 'snailJobHttpExecutor',
          taskType: CLUSTER,
          labels: { zone: 'a' },
          argsStr: consoleHttpArgs({ method: 'get', url: `${web.base}/ok/wf` }),
        });
        const wf = await target.createWorkflow([jobId], { run: 'demo-1', rows: 42, city: '北京' });
        const t0 = Date.now();
        const wfRun = await target.triggerWorkflow(wf);
        const done = await target.waitForWorkflowBatch(wfRun, 30_000 * slow);
        timings[name]['http in a workflow'] = Date.now() - t0;
        expect(done.status).toBe('SUCCESS');
        expect(web.received).toHaveLength(1);
        const { headers } = web.received[0];
        // AbstractHttpExecutor#buildhutoolRequest: strings as they are, others as JSON, Chinese text Base64
        expect(headers.run).toBe('demo-1');
        expect(headers.rows).toBe('42');
        expect(headers.city).toBe(Buffer.from('北京', 'utf8').toString('base64'));
        const node = await target.batch(done.nodeBatchIds[0]);
        expect(node.tasks[0].result).toBe('{"closed":true,"rows":3}');
      });
    });

    describe('snailJobShellJobExecutor (enabled by builtinExecutors.scripts)', () => {
      it('runs the inline script: its output lines are in the task’s log, stdout INFO, stderr WARN', async () => {
        const b = await run('shell output', {
          executorInfo: 'snailJobShellJobExecutor',
          taskType: CLUSTER,
          argsStr: consoleScriptArgs('echo "line one"\necho "line two" >&2\nprintf "line three"\n'),
        });
        expect(b.status).toBe('SUCCESS');
        expect(b.tasks[0].result).toBe('Script executed successfully.');
        const lines = await logsOf(b.id, b.tasks[0].id, (l) => l.some((x) => x.message === 'line three'));
        expect(lines.filter((l) => /^line /.test(l.message)).map((l) => [l.level, l.message])).toEqual([
          ['INFO', 'line one'],
          ['WARN', 'line two'],
          ['INFO', 'line three'],
        ]);
      });

      it('a stop from the server kills the script’s process group (the script and its background child)', async () => {
        const pidFile = path.join(workspace, `pids-${Date.now()}`);
        const jobId = await target.createJob({
          executorInfo: 'snailJobShellJobExecutor',
          taskType: CLUSTER,
          labels: { zone: 'a' },
          executorTimeout: 120,
          argsStr: consoleScriptArgs(`echo $$ > ${pidFile}\nsleep 300 &\necho $! >> ${pidFile}\nwait\n`),
        });
        const batchId = await target.trigger(jobId);
        const pids = await pollFor(
          async () =>
            fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean) : [],
          (p) => p.length === 2,
          15_000 * slow,
          'the script wrote its PIDs',
        );
        const [script, child] = pids.map(Number);
        expect(alive(script) && alive(child)).toBe(true);
        const t0 = Date.now();
        await target.stop(batchId);
        const b = await target.waitForBatch(batchId, 10_000 * slow);
        timings[name]['shell stop (stop → final)'] = Date.now() - t0;
        expect(b.status).toBe('STOP');
        expect(b.operationReason).toBe(8); // MANNER_STOP
        await pollFor(
          async () => [alive(script), alive(child)],
          (a) => !a[0] && !a[1],
          10_000,
          'script and child gone',
        );
        const lines = await logsOf(batchId, b.tasks[0].id, (l) =>
          l.some((x) => x.message.includes('terminating the script')),
        );
        expect(lines.find((l) => l.message.includes('terminating the script'))!.message).toBe(
          `[snail-job] Task stop: terminating the script (process group ${script})`,
        );
      });
    });

    describe('typed params (@SnailJob(name, { params: schema }))', () => {
      it('params that do not match fail before the handler runs; the task’s result names each field', async () => {
        const b = await run('typed params rejected', {
          executorInfo: 'e2eTyped',
          taskType: CLUSTER,
          argsStr: '{"day":"May 1st","limit":2.5}',
        });
        expect(b.status).toBe('FAIL');
        expect(b.tasks[0].status).toBe('FAIL');
        expect(beyondSeen.typed).toEqual([]);
        expect(b.tasks[0].result).toMatch(/^Invalid job params for executor "e2eTyped": day: .+; limit: .+$/);
        const lines = await logsOf(b.id, b.tasks[0].id, (l) => l.some((x) => x.level === 'ERROR'));
        const failure = lines.find((l) => l.level === 'ERROR')!;
        expect(failure.fields.throwable ?? failure.message).toContain('SnailJobParamsError');
      });

      it('params that match reach the handler parsed and typed', async () => {
        const b = await run('typed params accepted', {
          executorInfo: 'e2eTyped',
          taskType: CLUSTER,
          argsStr: '{"day":"2024-05-01","limit":3}',
        });
        expect(b.status).toBe('SUCCESS');
        expect(JSON.parse(b.tasks[0].result)).toEqual({
          app: 'A',
          day: '2024-05-01',
          limit: 3,
          limitType: 'number',
        });
        expect(beyondSeen.typed).toEqual([{ day: '2024-05-01', limit: 3 }]);
      });
    });

    describe('tracing (tracing: true, the SDK’s in-memory exporter)', () => {
      it('one span per task with the ids and task type; each task’s log lines carry its trace id', async () => {
        const b = await run('tracing (3 shards)', {
          executorInfo: 'e2eTracedShard',
          taskType: SHARDING,
          labels: { zone: 't' },
          argsStr: JSON.stringify(['x', 'y', 'z']),
        });
        expect(b.status).toBe('SUCCESS');
        expect(b.tasks.map((t) => t.result).sort()).toEqual(['T:0', 'T:1', 'T:2']);
        const spans = exporter.getFinishedSpans().filter((s) => s.name === 'snail-job e2eTracedShard');
        expect(spans).toHaveLength(3);
        expect(spans.map((s) => s.attributes['snailjob.task.id']).sort()).toEqual(
          b.tasks.map((t) => t.id).sort(),
        );
        for (const span of spans) {
          expect(span.attributes).toMatchObject({
            'snailjob.executor': 'e2eTracedShard',
            'snailjob.job.id': b.jobId,
            'snailjob.task_batch.id': b.id,
            'snailjob.task.type': 'SHARDING',
            'snailjob.sharding.total': 3,
          });
        }
        for (const task of b.tasks) {
          const span = spans.find((s) => s.attributes['snailjob.task.id'] === task.id)!;
          const traceId = span.spanContext().traceId;
          const lines = await logsOf(
            b.id,
            task.id,
            (l) => l.filter((x) => /^shard /.test(x.message)).length >= 2,
          );
          const ours = lines.filter((l) => /^shard /.test(l.message));
          expect(ours).toHaveLength(2);
          for (const line of ours) expect(line.message).toMatch(new RegExp(` \\[trace_id=${traceId}\\]$`));
        }
        expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(3);
      });
    });
  });
}
