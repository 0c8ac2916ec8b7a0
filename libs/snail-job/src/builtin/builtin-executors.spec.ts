import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnailJobTester } from '../testing/index.js';
import { resolveOptions } from '../config/resolve-options.js';
import { contextHeader } from './http.executor.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('snailJobHttpExecutor', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let tester: SnailJobTester;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        if (req.url === '/fail') res.writeHead(503).end('down');
        else if (req.url === '/code') res.writeHead(200).end(JSON.stringify({ code: 500, msg: 'nope' }));
        else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('late'), 5_000).unref();
        else
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ code: 200, ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    tester = await SnailJobTester.create({
      options: { builtinExecutors: { http: { bodyCode: { code: 200 } } } },
    });
  });

  afterAll(async () => {
    await tester.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is registered only when enabled', async () => {
    expect(tester.executors()).toEqual(['snailJobHttpExecutor']);
    const plain = await SnailJobTester.create();
    try {
      expect(plain.executors()).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('sends a GET and succeeds with the body as the result', async () => {
    seen.length = 0;
    const run = await tester.execute('snailJobHttpExecutor', {
      params: { url: `${base}/ok?x=1`, headers: { 'X-Api-Key': 'k1' } },
    });
    expect(run.status).toBe('success');
    expect(run.result).toBe('{"code":200,"ok":true}');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/ok?x=1', body: '' });
    expect(seen[0]!.headers['x-api-key']).toBe('k1');
    expect(run.logs[0]!.message).toContain(
      `[snail-job] Request URL: ${base}/ok?x=1\nUsing request method: GET`,
    );
  });

  it('sends a POST with its body and media type, and the workflow context as headers', async () => {
    seen.length = 0;
    const run = await tester.execute('snailJobHttpExecutor', {
      params: { method: 'post', url: `${base}/orders`, body: '{"id":7}' },
      wfContext: { batch: 'b-1', rows: 3, city: '北京' },
    });
    expect(run.status).toBe('success');
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.body).toBe('{"id":7}');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.headers.batch).toBe('b-1');
    expect(seen[0]!.headers.rows).toBe('3');
    expect(Buffer.from(String(seen[0]!.headers.city), 'base64').toString('utf8')).toBe('北京');
  });

  it('sends "{}" as the default body of a PUT, and adds http:// to a bare host', async () => {
    seen.length = 0;
    const run = await tester.execute('snailJobHttpExecutor', {
      params: { method: 'PUT', url: base.replace('http://', '') + '/put' },
    });
    expect(run.status).toBe('success');
    expect(seen[0]).toMatchObject({ method: 'PUT', body: '{}' });
  });

  it('fails on an unexpected status, and on a body code that does not match', async () => {
    const bad = await tester.execute('snailJobHttpExecutor', { params: { url: `${base}/fail` } });
    expect(bad.status).toBe('failure');
    expect(bad.message).toBe(`HTTP request failed: GET ${base}/fail answered 503, expected 200`);
    // the reason is the result too: the real server stores only the result (JobExecutorResultActor.java)
    expect(bad.tasks[0]!.result).toBe(bad.message);
    const code = await tester.execute('snailJobHttpExecutor', { params: { url: `${base}/code` } });
    expect(code.status).toBe('failure');
    expect(code.message).toBe('the response status code is not equal to the specified status code');
  });

  it('fails after its own timeout, and on params it cannot use', async () => {
    const slow = await tester.execute('snailJobHttpExecutor', {
      params: { url: `${base}/slow`, timeout: 1 },
    });
    expect(slow.status).toBe('failure');
    expect(slow.message).toMatch(/HTTP internal executor failed: GET .*\/slow: no response within 1 s/);
    const none = await tester.execute('snailJobHttpExecutor');
    expect(none.message).toBe('HttpParams is null. Verify jobParam configuration.');
    const noUrl = await tester.execute('snailJobHttpExecutor', { params: { method: 'GET' } });
    expect(noUrl.message).toBe('URL cannot be empty.');
    const patch = await tester.execute('snailJobHttpExecutor', { params: { method: 'PATCH', url: base } });
    expect(patch.message).toMatch(/supports GET, POST, PUT and DELETE, not "PATCH"/);
  });

  it('is aborted by stop', async () => {
    const running = tester.start('snailJobHttpExecutor', { params: { url: `${base}/slow` } });
    await running.started();
    expect((await running.stop()).status).toBe('stopped');
  });

  it('keeps header-safe text and Base64-encodes the rest', () => {
    expect(contextHeader('plain')).toBe('plain');
    expect(contextHeader({ a: 1 })).toBe('{"a":1}');
    expect(contextHeader('日本')).toBe(Buffer.from('日本').toString('base64'));
  });
});

describe.skipIf(process.platform === 'win32')('snailJobShellJobExecutor', () => {
  let workspace: string;
  let tester: SnailJobTester;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'sj-scripts-'));
    tester = await SnailJobTester.create({
      options: { builtinExecutors: { scripts: { workspace, killGraceMs: 500 } } },
    });
  });

  afterAll(async () => {
    await tester.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('is off by default, on with the option', () => {
    expect(resolveOptions({}, {}).builtinExecutors).toEqual({ http: undefined, scripts: undefined });
    expect(resolveOptions({}, { SNAIL_BUILTIN_SCRIPTS: 'true' }).builtinExecutors.scripts).toBeDefined();
    expect(() => resolveOptions({}, { SNAIL_BUILTIN_HTTP: 'maybe' })).toThrow(
      'Invalid SnailJob configuration: SNAIL_BUILTIN_HTTP="maybe" — expected true or false.',
    );
    expect(tester.executors()).toEqual(['snailJobCMDJobExecutor', 'snailJobShellJobExecutor']);
  });

  it('runs SCRIPT_CODE: every output line in the remote log, success on exit 0, file removed', async () => {
    const run = await tester.execute('snailJobShellJobExecutor', {
      params: { method: 'SCRIPT_CODE', scriptParams: 'echo "hello $0"\necho oops >&2\nprintf "no newline"' },
    });
    expect(run.status).toBe('success');
    expect(run.result).toBe('Script executed successfully.');
    const lines = run.logs.map((l) => [l.level, l.message]);
    expect(lines).toContainEqual(['INFO', expect.stringMatching(/^hello .*shell_1_\d+\.sh$/)]);
    expect(lines).toContainEqual(['WARN', 'oops']);
    expect(lines).toContainEqual(['INFO', 'no newline']);
    expect(await readdir(workspace)).toEqual([]);
  });

  it('passes params as data: nothing in them is interpreted by a shell of ours', async () => {
    const marker = join(workspace, 'pwned');
    const run = await tester.execute('snailJobShellJobExecutor', {
      params: { method: 'LOCAL_SCRIPT', scriptParams: `/nonexistent; touch ${marker}` },
    });
    expect(run.status).toBe('failure');
    expect(run.message).toBe(`File not found: {/nonexistent; touch ${marker}}`);
    await expect(readFile(marker)).rejects.toThrow();
  });

  it('runs LOCAL_SCRIPT and fails with the exit code', async () => {
    const script = join(workspace, 'local.sh');
    await writeFile(script, 'echo local\nexit 3\n');
    const run = await tester.execute('snailJobShellJobExecutor', {
      params: { method: 'LOCAL_SCRIPT', scriptParams: script },
    });
    expect(run.status).toBe('failure');
    expect(run.message).toBe('shell script failed (exit code 3)');
    expect(run.logs.map((l) => l.message)).toContain('local');
    await rm(script);
  });

  it('kills the whole process group on stop, children included', async () => {
    const pids = join(workspace, 'pids');
    const running = tester.start('snailJobShellJobExecutor', {
      params: { method: 'SCRIPT_CODE', scriptParams: `sleep 30 &\necho "$$ $!" > ${pids}\nwait\n` },
    });
    await running.started();
    let text = '';
    for (let i = 0; i < 200 && text.split(' ').length < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      text = await readFile(pids, 'utf8').catch(() => '');
    }
    const [shellPid, sleepPid] = text.trim().split(' ').map(Number);
    expect(alive(shellPid!)).toBe(true);
    expect(alive(sleepPid!)).toBe(true);
    const run = await running.stop();
    expect(run.status).toBe('stopped');
    for (let i = 0; i < 100 && (alive(shellPid!) || alive(sleepPid!)); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(alive(shellPid!)).toBe(false);
    expect(alive(sleepPid!)).toBe(false);
    expect(run.logs.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/Task stop: terminating the script/),
    );
    await rm(pids, { force: true });
  });

  it('runs DOWNLOAD: the script is fetched from the URL first', async () => {
    const scripts = createServer((_req, res) => res.writeHead(200).end('echo downloaded\n'));
    await new Promise<void>((resolve) => scripts.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(scripts.address() as AddressInfo).port}/job.sh`;
      const run = await tester.execute('snailJobShellJobExecutor', {
        params: { method: 'DOWNLOAD', scriptParams: url },
      });
      expect(run.status).toBe('success');
      expect(run.logs.map((l) => l.message)).toContain('downloaded');
    } finally {
      scripts.closeAllConnections();
      await new Promise((resolve) => scripts.close(resolve));
    }
  });

  it('says why CMD scripts cannot run here', async () => {
    const run = await tester.execute('snailJobCMDJobExecutor', {
      params: { method: 'SCRIPT_CODE', scriptParams: 'echo hi' },
    });
    expect(run.status).toBe('failure');
    expect(run.message).toMatch(/^CMD scripts run on Windows only/);
  });

  it('refuses an unknown method and missing params', async () => {
    const run = await tester.execute('snailJobShellJobExecutor', {
      params: { method: 'RUN', scriptParams: 'x' },
    });
    expect(run.message).toMatch(/"RUN" is not DOWNLOAD, SCRIPT_CODE or LOCAL_SCRIPT/);
    const none = await tester.execute('snailJobShellJobExecutor');
    expect(none.message).toBe('ScriptParams is null, please check jobParam configuration.');
  });
});

/** Whether `pid` still runs (a zombie, killed but not yet reaped by its parent, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
