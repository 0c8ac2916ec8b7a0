import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnailJobOpenApi } from './snail-job-open-api.js';
import { SnailJobOpenApiError } from './snail-job-open-api.error.js';

/** What the fake server saw of one call. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Reply = (res: ServerResponse, seen: Seen) => void;

const envelope =
  (data: unknown, status = 1, message = 'Request succeeded'): Reply =>
  (res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status, message, data }));
  };

describe('SnailJobOpenApi', () => {
  let server: Server;
  let base: string;
  let seen: Seen[] = [];
  let reply: Reply = envelope(true);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const call: Seen = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: text ? (JSON.parse(text) as unknown) : undefined,
        };
        seen.push(call);
        reply(res, call);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/snail-job/`;
  });

  afterEach(() => {
    seen = [];
    reply = envelope(true);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const api = (timeoutMs?: number) =>
    new SnailJobOpenApi({ baseUrl: base, namespace: 'ns-1', groupName: 'orders', token: 'SJ_t', timeoutMs });

  it('sends the namespace, group-name and token headers under the base URL (trailing slash dropped)', async () => {
    reply = envelope(42);
    const id = await api().addJob({
      jobName: 'nightly',
      executorInfo: 'exportExecutor',
      taskType: 1,
      triggerType: 3,
      triggerInterval: '0 0 2 * * ?',
    });
    expect(id).toBe(42);
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('POST');
    expect(seen[0].url).toBe('/snail-job/api/job/add');
    expect(seen[0].headers).toMatchObject({
      namespace: 'ns-1',
      'group-name': 'orders',
      token: 'SJ_t',
      'content-type': 'application/json',
    });
    // The configured group is the job's group, whatever the caller passes.
    expect(seen[0].body).toEqual({
      jobName: 'nightly',
      executorInfo: 'exportExecutor',
      taskType: 1,
      triggerType: 3,
      triggerInterval: '0 0 2 * * ?',
      groupName: 'orders',
    });
  });

  // Every call: method, path (with query) and body as SnailJob 2.0.2's JobApi / JobBatchApi / WorkflowApi /
  // WorkflowBatchApi map them (SystemConstants.HTTP_PATH, JobOpenApiClientV2.java).
  const calls: [string, (a: SnailJobOpenApi) => Promise<unknown>, string, string, unknown][] = [
    [
      'updateJob',
      (a) => a.updateJob({ id: 7, jobName: 'x' }),
      'PUT',
      '/api/job/update',
      { id: 7, jobName: 'x', groupName: 'orders' },
    ],
    ['enableJob', (a) => a.enableJob(7), 'PUT', '/api/job/update/status', { id: 7, status: 1 }],
    ['disableJob', (a) => a.disableJob(7), 'PUT', '/api/job/update/status', { id: 7, status: 0 }],
    [
      'triggerJob',
      (a) => a.triggerJob(7, '{"a":1}'),
      'POST',
      '/api/job/trigger',
      { jobId: 7, tmpArgsStr: '{"a":1}' },
    ],
    ['triggerJob (own args)', (a) => a.triggerJob(7), 'POST', '/api/job/trigger', { jobId: 7 }],
    ['getJob', (a) => a.getJob(7), 'GET', '/api/job/detail/id?id=7', undefined],
    ['jobExists', (a) => a.jobExists(7), 'GET', '/api/job/exists?id=7', undefined],
    ['deleteJobs', (a) => a.deleteJobs([7, 8]), 'DELETE', '/api/job/delete', [7, 8]],
    [
      'addJobByBizId',
      (a) =>
        a.addJobByBizId({
          bizId: 'b-1',
          jobName: 'n',
          executorInfo: 'e',
          taskType: 2,
          triggerType: 2,
          triggerInterval: '60',
        }),
      'POST',
      '/api/job/bizId/add',
      {
        bizId: 'b-1',
        jobName: 'n',
        executorInfo: 'e',
        taskType: 2,
        triggerType: 2,
        triggerInterval: '60',
        groupName: 'orders',
      },
    ],
    [
      'updateJobByBizId',
      (a) => a.updateJobByBizId({ bizId: 'b-1', maxRetryTimes: 9 }),
      'PUT',
      '/api/job/bizId/update',
      { bizId: 'b-1', maxRetryTimes: 9, groupName: 'orders' },
    ],
    [
      'updateJobStatusByBizId',
      (a) => a.updateJobStatusByBizId('b-1', 0),
      'PUT',
      '/api/job/bizId/updateStatus',
      { bizId: 'b-1', status: 0 },
    ],
    [
      'triggerJobByBizId',
      (a) => a.triggerJobByBizId('b-1', 'x'),
      'POST',
      '/api/job/bizId/trigger',
      { bizId: 'b-1', tmpArgsStr: 'x' },
    ],
    [
      'getJobByBizId',
      (a) => a.getJobByBizId('a b&c'),
      'GET',
      '/api/job/bizId/detail?bizId=a%20b%26c',
      undefined,
    ],
    [
      'jobExistsByBizId',
      (a) => a.jobExistsByBizId('b-1'),
      'GET',
      '/api/job/bizId/exists?bizId=b-1',
      undefined,
    ],
    [
      'deleteJobsByBizId',
      (a) => a.deleteJobsByBizId(['b-1']),
      'DELETE',
      '/api/job/bizId/delete',
      { bizIds: ['b-1'] },
    ],
    ['getJobBatch', (a) => a.getJobBatch(5), 'GET', '/api/job-batch/detail/5?id=5', undefined],
    [
      'triggerWorkflow',
      (a) => a.triggerWorkflow(3, '{"k":1}'),
      'POST',
      '/api/workflow/trigger',
      { jobId: 3, workflowId: 3, tmpWfContext: '{"k":1}' },
    ],
    [
      'updateWorkflowStatus',
      (a) => a.updateWorkflowStatus(3, 1),
      'PUT',
      '/api/workflow/update/status',
      { id: 3, status: 1 },
    ],
    ['workflowExists', (a) => a.workflowExists(3), 'GET', '/api/workflow/exists?id=3', undefined],
    ['deleteWorkflows', (a) => a.deleteWorkflows([3]), 'DELETE', '/api/workflow/delete', [3]],
    [
      'triggerWorkflowByBizId',
      (a) => a.triggerWorkflowByBizId('w-1'),
      'POST',
      '/api/workflow/bizId/trigger',
      { bizId: 'w-1', workflowId: 0 },
    ],
    [
      'updateWorkflowStatusByBizId',
      (a) => a.updateWorkflowStatusByBizId('w-1', 0),
      'PUT',
      '/api/workflow/bizId/updateStatus',
      { bizId: 'w-1', status: 0 },
    ],
    [
      'workflowExistsByBizId',
      (a) => a.workflowExistsByBizId('w-1'),
      'GET',
      '/api/workflow/bizId/exists?bizId=w-1',
      undefined,
    ],
    [
      'deleteWorkflowsByBizId',
      (a) => a.deleteWorkflowsByBizId(['w-1']),
      'DELETE',
      '/api/workflow/bizId/delete',
      ['w-1'],
    ],
    [
      'getWorkflowBatch',
      (a) => a.getWorkflowBatch(9),
      'GET',
      '/api/workflow-batch/detail/id?id=9',
      undefined,
    ],
  ];

  it.each(calls)('%s: method, path and body', async (_name, run, method, path, body) => {
    reply = envelope({ id: 1 });
    await expect(run(api())).resolves.toEqual({ id: 1 });
    expect(seen).toHaveLength(1);
    expect([seen[0].method, seen[0].url, seen[0].body]).toEqual([method, `/snail-job${path}`, body]);
    expect(seen[0].headers['content-type']).toBe(body === undefined ? undefined : 'application/json');
  });

  it('resolves a lookup of something that does not exist to null (status 1, no data)', async () => {
    reply = envelope(null);
    expect(await api().getJob(987)).toBeNull();
    expect(await api().jobExistsByBizId('nope')).toBeNull();
    expect(await api().getWorkflowBatch(987)).toBeNull();
  });

  it("resolves 2.0.2's answer for an unknown job id (every field null) to null", async () => {
    reply = envelope({ id: null, bizId: null, jobName: null, groupName: null });
    expect(await api().getJob(987)).toBeNull();
    expect(await api().getJobByBizId('nope')).toBeNull();
  });

  it('rejects a call whose answer must carry data but has none', async () => {
    reply = envelope(null);
    const error = await api()
      .triggerJob(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnailJobOpenApiError);
    expect(error).toMatchObject({ kind: 'invalid', path: 'POST /api/job/trigger', httpStatus: 200 });
  });

  it("rejects a refusal with the server's own message", async () => {
    reply = envelope(null, 0, 'triggerInterval Cron expression is wrong');
    const error = await api()
      .addJob({ jobName: 'n', executorInfo: 'e', taskType: 1, triggerType: 3, triggerInterval: 'nope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnailJobOpenApiError);
    expect(error).toMatchObject({
      kind: 'refused',
      path: 'POST /api/job/add',
      httpStatus: 200,
      serverStatus: 0,
      serverMessage: 'triggerInterval Cron expression is wrong',
      message: 'POST /api/job/add: triggerInterval Cron expression is wrong',
    });
  });

  it('rejects an HTTP error with its status and the start of the body', async () => {
    reply = (res) => {
      res.statusCode = 404;
      res.end('Not Found: /snail-job/api/job/exists');
    };
    const error = await api()
      .jobExists(1)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'http', httpStatus: 404, path: 'GET /api/job/exists' });
    expect((error as Error).message).toContain('HTTP 404');
    expect((error as Error).message).toContain('Not Found');
  });

  it('rejects an answer that is not JSON, or not the envelope', async () => {
    reply = (res) => res.end('<html>login</html>');
    await expect(api().jobExists(1)).rejects.toMatchObject({ kind: 'invalid', httpStatus: 200 });
    reply = (res) => res.end('{"ok":true}');
    await expect(api().jobExists(1)).rejects.toMatchObject({ kind: 'invalid' });
  });

  it.each(['127.0.0.1:8080/snail-job', 'ftp://h/snail-job', ''])(
    'refuses a baseUrl that is not an http(s) URL (%j) when constructed',
    (baseUrl) => {
      expect(() => new SnailJobOpenApi({ baseUrl, namespace: 'n', groupName: 'g', token: 't' })).toThrow(
        `baseUrl must be an http(s) URL with the server's context path, e.g. "http://127.0.0.1:8080/snail-job"; got ${JSON.stringify(baseUrl)}`,
      );
    },
  );

  it('rejects with kind unreachable when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = new SnailJobOpenApi({
      baseUrl: `http://127.0.0.1:${port}/snail-job`,
      namespace: 'ns',
      groupName: 'g',
      token: 't',
    });
    const error = await down.triggerJob(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnailJobOpenApiError);
    expect(error).toMatchObject({ kind: 'unreachable', httpStatus: undefined });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('rejects with kind timeout when the server does not answer in time, saying the call may have happened', async () => {
    reply = () => undefined; // never answers
    const error = await api(150)
      .triggerJob(1)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', path: 'POST /api/job/trigger' });
    expect((error as Error).message).toContain('within 150 ms');
    expect((error as Error).message).toContain('may still take effect');
    expect(seen).toHaveLength(1); // never retried
  });
});
