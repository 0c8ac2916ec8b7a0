import type { HttpAdapterHost } from '@nestjs/core';

/** What a raw route handler answers. */
export interface RouteReply {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Adds `GET path` straight to the app's HTTP adapter (Express or Fastify), for routes whose path is only known
 * once the options are resolved (`forRootAsync`). Call it from `onModuleInit`: Nest has mapped the controllers
 * by then but has not yet added its catch-all 404 handler. The route sits outside Nest's pipeline (no global
 * prefix, guards or interceptors), like an actuator endpoint. Returns false when the app has no HTTP server
 * (`createApplicationContext`, pure microservice).
 */
export function addGetRoute(host: HttpAdapterHost, path: string, handle: () => Promise<RouteReply>): boolean {
  const adapter = host.httpAdapter;
  if (!adapter) return false;
  adapter.get(path, (_request: unknown, response: unknown) => {
    handle().then(
      (reply) => {
        for (const [name, value] of Object.entries(reply.headers ?? {}))
          adapter.setHeader(response, name, value);
        adapter.reply(response, reply.body, reply.status);
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        adapter.reply(response, { statusCode: 500, message }, 500);
      },
    );
  });
  return true;
}
