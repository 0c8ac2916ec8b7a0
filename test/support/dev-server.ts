import { startDevServer, type DevServer, type DevServerOptions } from '../../apps/dev-server/src/index.js';
import { TEST_OPTIONS } from '../../apps/dev-server/test/harness.js';

/** A dev server on ephemeral 127.0.0.1 ports with fast registration sweeps. */
export function startTestDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  return startDevServer({ ...TEST_OPTIONS, ...options });
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
