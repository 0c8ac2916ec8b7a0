import {
  Controller,
  Get,
  Injectable,
  Module,
  type INestApplicationContext,
  type ModuleMetadata,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SnailJob,
  SnailJobHealthIndicator,
  SnailJobModule,
  SnailJobTransport,
  type SnailJobModuleOptions,
} from 'nestjs-snail-job';
import { clientOptions } from './support/client-app.js';
import { getJson, listenApp, waitUntil, type HttpApp } from './support/http-app.js';
import { RawCaller, RawServer } from './support/raw-peer.js';

@Injectable()
class Jobs {
  @SnailJob('healthJob')
  run() {
    return 'ok';
  }

  @SnailJob('slowJob')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

interface HealthBody {
  status: string;
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
}

function slowDispatch(): string {
  return JSON.stringify([
    {
      namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
      groupName: 'snail_job_demo_group',
      jobId: 1,
      taskBatchId: 77,
      taskId: 770,
      taskType: 1,
      parallelNum: 1,
      executorType: 1,
      executorInfo: 'slowJob',
      executorTimeout: 60,
      argsStr: '{}',
      taskName: 'CLUSTER_TASK',
      retryStatus: false,
      retry: false,
    },
  ]);
}

/** Fast heartbeats so that expiry and recovery take a fraction of a second. */
const FAST = { heartbeatIntervalMs: 100, heartbeatExpiryMs: 300, requestTimeoutMs: 500 };

describe('GET /health (Terminus)', () => {
  const servers: RawServer[] = [];
  const apps: INestApplicationContext[] = [];

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const server of servers.splice(0)) await server.close();
  });

  async function rawServer(port = 0): Promise<RawServer> {
    const server = await new RawServer().start(port);
    servers.push(server);
    return server;
  }

  async function start(options: SnailJobModuleOptions, extra: ModuleMetadata = {}): Promise<HttpApp> {
    @Module({
      imports: [SnailJobModule.forRoot(options), ...(extra.imports ?? [])],
      controllers: extra.controllers ?? [],
      providers: [Jobs],
    })
    class AppModule {}
    const started = await listenApp(AppModule);
    apps.push(started.app);
    return started;
  }

  const health = (url: string, path = '/health') => getJson<HealthBody>(`${url}${path}`);

  it('is up with the client details once the server accepted a heartbeat', async () => {
    const server = await rawServer();
    const { app, url } = await start(clientOptions(server.port, { ...FAST, health: '/health' }));
    await waitUntil(async () => (await health(url)).status === 200);
    const response = await fetch(`${url}/health`);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
    const body = (await response.json()) as HealthBody;
    expect(body).toMatchObject({ status: 'ok', error: {} });
    expect(body.info.snailJob).toMatchObject({
      status: 'up',
      hostId: expect.stringMatching(/^node-\d+-[0-9a-f]{12}$/),
      address: `127.0.0.1:${app.get(SnailJobTransport).port}`,
      server: `127.0.0.1:${server.port}`,
      group: 'snail_job_demo_group',
      namespace: '764d604ec6fc45f68cd92514c40e9e1a',
      executorsRegistered: true,
      running: 0,
      queued: 0,
    });
    expect(Date.now() - Date.parse(body.info.snailJob.lastBeatOkAt as string)).toBeLessThan(1_000);
    expect(body.details).toEqual(body.info);
  });

  it('goes down with "server unreachable" when beats fail, and up again when the server returns', async () => {
    const server = await rawServer();
    const { url } = await start(clientOptions(server.port, { ...FAST, health: '/health' }));
    await waitUntil(async () => (await health(url)).status === 200);

    await server.close();
    const t0 = Date.now();
    await waitUntil(async () => (await health(url)).status === 503);
    const down = await health(url);
    const elapsed = Date.now() - t0;
    expect(down.body.status).toBe('error');
    expect(down.body.error.snailJob.status).toBe('down');
    expect(down.body.error.snailJob.message).toMatch(
      /^server unreachable: SnailJob server unreachable at 127\.0\.0\.1:/,
    );
    expect(elapsed).toBeLessThan(2_000);

    await rawServer(server.port);
    await waitUntil(async () => (await health(url)).status === 200, 10_000);
    expect((await health(url)).body.info.snailJob.lastError).toBeUndefined();
  });

  it('goes down with "token rejected" when the server refuses the token', async () => {
    const server = await rawServer();
    server.respond = (r) =>
      r.uri === '/beat'
        ? {
            status: 0,
            message: 'Token authentication failed. [namespace:x groupName:y token:z]',
            data: 'null',
          }
        : undefined;
    const { url } = await start(clientOptions(server.port, { ...FAST, health: '/health' }));
    await server.waitFor('/beat');
    await waitUntil(async () =>
      /^token rejected:/.test(String((await health(url)).body.error?.snailJob?.message)),
    );
    const { status, body } = await health(url);
    expect(status).toBe(503);
    expect(body.error.snailJob.message).toContain('Token authentication failed');
    expect(body.error.snailJob.lastBeatOkAt).toBeNull();
  });

  it('answers 503 "shutting_down" while the app drains its tasks at shutdown', async () => {
    const server = await rawServer();
    const { app, url } = await start(clientOptions(server.port, { ...FAST, health: '/health' }));
    await waitUntil(async () => (await health(url)).status === 200);
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    await caller.call('/job/dispatch/v1', slowDispatch());
    caller.close();
    apps.splice(apps.indexOf(app), 1);
    const closing = app.close();
    await waitUntil(async () => (await health(url)).status === 503);
    expect((await health(url)).body.status).toBe('shutting_down');
    await closing;
    expect(server.calls('/report/dispatch/result')).toHaveLength(1);
  });

  it('serves no route when health is false', async () => {
    const server = await rawServer();
    const { url } = await start(clientOptions(server.port, { health: false }));
    expect((await fetch(`${url}/health`)).status).toBe(404);
  });

  it('serves a custom path chosen by a forRootAsync factory', async () => {
    const server = await rawServer();
    @Module({
      imports: [
        SnailJobModule.forRootAsync({
          useFactory: async () => clientOptions(server.port, { ...FAST, health: '/ops/ready' }),
        }),
      ],
      providers: [Jobs],
    })
    class AsyncModule {}
    const { app, url } = await listenApp(AsyncModule);
    apps.push(app);
    await waitUntil(async () => (await health(url, '/ops/ready')).status === 200);
    expect((await fetch(`${url}/health`)).status).toBe(404);
  });

  it('lets the app use SnailJobHealthIndicator in its own @HealthCheck() controller beside TerminusModule', async () => {
    @Controller('status')
    class StatusController {
      constructor(
        private readonly health: HealthCheckService,
        private readonly snailJob: SnailJobHealthIndicator,
      ) {}

      @Get()
      @HealthCheck()
      check() {
        return this.health.check([() => this.snailJob.isHealthy('scheduler')]);
      }
    }
    const server = await rawServer();
    const { url } = await start(clientOptions(server.port, { ...FAST, health: '/health' }), {
      imports: [TerminusModule],
      controllers: [StatusController],
    });
    await waitUntil(async () => (await health(url, '/status')).status === 200);
    const { body } = await health(url, '/status');
    expect(body.info.scheduler).toMatchObject({ status: 'up', group: 'snail_job_demo_group' });
    expect((await health(url)).body.info.snailJob.status).toBe('up');
  });

  it('boots without an HTTP server (application context) and skips the routes quietly', async () => {
    const server = await rawServer();
    @Module({ imports: [SnailJobModule.forRoot(clientOptions(server.port, { health: '/health' }))] })
    class ContextModule {}
    const context = await NestFactory.createApplicationContext(ContextModule, { logger: false });
    apps.push(context);
    const indicator = context.get(SnailJobHealthIndicator);
    await waitUntil(() => indicator.isHealthy().snailJob.status === 'up');
  });
});
