import {
  Injectable,
  Module,
  VersioningType,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SnailJobModule, type SnailJobModuleOptions } from 'nestjs-snail-job';
import { clientOptions } from './support/client-app.js';
import { waitUntil } from './support/http-app.js';
import { RawServer } from './support/raw-peer.js';

/** A global guard that records the path of every request it sees and refuses those carrying `x-deny`. */
@Injectable()
class RecordingGuard implements CanActivate {
  static readonly seen: string[] = [];
  static readonly classes = new Set<string>();

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ url: string; headers: Record<string, string> }>();
    RecordingGuard.seen.push(request.url);
    RecordingGuard.classes.add(context.getClass().name);
    return request.headers['x-deny'] === undefined;
  }
}

const FAST = { heartbeatIntervalMs: 100, heartbeatExpiryMs: 300, requestTimeoutMs: 500 };
const PLATFORMS = {
  express: () => new ExpressAdapter(),
  fastify: () => new FastifyAdapter(),
} as const;

describe.each(Object.keys(PLATFORMS) as (keyof typeof PLATFORMS)[])(
  'health and metrics as Nest controllers under %s',
  (platform) => {
    const apps: INestApplication[] = [];
    const servers: RawServer[] = [];

    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
      for (const server of servers.splice(0)) await server.close();
      RecordingGuard.seen.length = 0;
      RecordingGuard.classes.clear();
    });

    async function start(
      options: SnailJobModuleOptions,
      configure: (app: INestApplication) => void = () => undefined,
    ): Promise<string> {
      const server = await new RawServer().start();
      servers.push(server);
      @Module({
        imports: [SnailJobModule.forRoot(clientOptions(server.port, { ...FAST, ...options }))],
        providers: [{ provide: APP_GUARD, useClass: RecordingGuard }],
      })
      class AppModule {}
      const app = await NestFactory.create(AppModule, PLATFORMS[platform](), {
        logger: false,
        abortOnError: false,
      });
      apps.push(app);
      configure(app);
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      return `http://127.0.0.1:${port}`;
    }

    it('serves both routes at their default paths, with their status, headers and bodies', async () => {
      const url = await start({ health: '/health', metrics: '/actuator/prometheus' });
      await waitUntil(async () => (await fetch(`${url}/health`)).status === 200);
      const health = await fetch(`${url}/health`);
      expect(health.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
      expect(health.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await health.json()).toMatchObject({ status: 'ok', info: { snailJob: { status: 'up' } } });

      const metrics = await fetch(`${url}/actuator/prometheus`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain('# TYPE rpc_request_total counter');
      expect(text).toContain('process_cpu_user_seconds_total');
    });

    it('answers 503 with the Terminus body when the client is down', async () => {
      const url = await start({ health: '/health', server: { host: '127.0.0.1', port: 1 } });
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(503);
      expect(response.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
      expect(await response.json()).toMatchObject({
        status: 'error',
        error: { snailJob: { status: 'down' } },
      });
    });

    it('puts both routes under the global prefix and versioning of the app', async () => {
      const url = await start({ health: '/ops/health', metrics: '/ops/metrics' }, (app) => {
        app.setGlobalPrefix('api');
        app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
      });
      await waitUntil(async () => (await fetch(`${url}/api/v1/ops/health`)).status === 200);
      expect((await fetch(`${url}/api/v1/ops/metrics`)).status).toBe(200);
      for (const bare of ['/ops/health', '/ops/metrics', '/health', '/actuator/prometheus']) {
        expect((await fetch(`${url}${bare}`)).status).toBe(404);
      }
    });

    it('stays at its own path when the prefix excludes it (as docs/health-metrics.md shows)', async () => {
      const url = await start({ health: '/health', metrics: '/actuator/prometheus' }, (app) =>
        app.setGlobalPrefix('api', { exclude: ['health', 'actuator/prometheus'] }),
      );
      await waitUntil(async () => (await fetch(`${url}/health`)).status === 200);
      expect((await fetch(`${url}/actuator/prometheus`)).status).toBe(200);
      expect((await fetch(`${url}/api/health`)).status).toBe(404);
    });

    it('lets a global guard see and refuse both routes', async () => {
      const url = await start({ health: '/health', metrics: '/actuator/prometheus' });
      await waitUntil(async () => (await fetch(`${url}/health`)).status === 200);
      await fetch(`${url}/actuator/prometheus`);
      expect(RecordingGuard.seen).toEqual(expect.arrayContaining(['/health', '/actuator/prometheus']));
      // What docs/health-metrics.md tells a guard to let through.
      expect([...RecordingGuard.classes].sort()).toEqual([
        'SnailJobHealthController',
        'SnailJobMetricsController',
      ]);
      for (const path of ['/health', '/actuator/prometheus']) {
        expect((await fetch(`${url}${path}`, { headers: { 'x-deny': '1' } })).status).toBe(403);
      }
    });

    it('maps neither route when both parts are off', async () => {
      const url = await start({ health: false, metrics: false });
      for (const path of ['/health', '/actuator/prometheus']) {
        expect((await fetch(`${url}${path}`)).status).toBe(404);
      }
      expect(RecordingGuard.seen).toEqual([]);
    });
  },
);

describe('health and metrics paths with forRootAsync', () => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function create(module: ReturnType<typeof SnailJobModule.forRootAsync>): Promise<INestApplication> {
    @Module({ imports: [module] })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
    apps.push(app);
    return app;
  }

  const unreachable = { server: { host: '127.0.0.1', port: 1 }, client: { host: '127.0.0.1', port: 0 } };

  it('maps the paths the factory chooses, under the global prefix', async () => {
    const app = await create(
      SnailJobModule.forRootAsync({
        useFactory: async () => ({ ...unreachable, health: '/ready', metrics: '/prom' }),
      }),
    );
    app.setGlobalPrefix('ops');
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    expect((await fetch(`${url}/ops/ready`)).status).toBe(503);
    expect((await fetch(`${url}/ops/prom`)).status).toBe(200);
  });

  it('with health: false beside the factory, refuses a health path from the factory', async () => {
    await expect(
      create(
        SnailJobModule.forRootAsync({
          health: false,
          useFactory: () => ({ ...unreachable, health: '/ready', metrics: false }),
        }),
      ),
    ).rejects.toThrow(/factory asks for GET \/ready, but health was off when the module was defined/);
  });
});
