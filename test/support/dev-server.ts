import { startDevServer, type DevServer, type DevServerOptions } from '../../apps/dev-server/src/index.js';

/** A dev server on ephemeral 127.0.0.1 ports with fast registration sweeps. */
export function startTestDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startDevServer({
    grpcHost: '127.0.0.1',
    grpcPort: 0,
    httpHost: '127.0.0.1',
    httpPort: 0,
    sweepIntervalMs: 20,
    livenessIntervalMs: 200,
    logger: false,
    ...options,
  });
}

/** Parsed bodies of the requests the dev server received on `uri` (first argument of each). */
export async function receivedBodies<T = Record<string, unknown>>(
  server: DevServer,
  uri: string,
): Promise<T[]> {
  const entries = await server.requests({ uri, direction: 'in', limit: 100_000 });
  return entries.map((e) => (JSON.parse(e.body) as T[])[0]);
}

export type { DevServer };
