import { startDevServer, type DevServer } from '../src/index.js';
import type { DevServerOptions } from '../src/dev-server.options.js';
import { FakeClient, type FakeClientOptions } from './fake-client.js';

/** A dev server on ephemeral 127.0.0.1 ports plus registered fake clients. */
export interface Harness {
  server: DevServer;
  clients: FakeClient[];
  close(): Promise<void>;
}

/** Fast timings for tests. */
export const TEST_OPTIONS: DevServerOptions = {
  grpcHost: '127.0.0.1',
  grpcPort: 0,
  httpHost: '127.0.0.1',
  httpPort: 0,
  sweepIntervalMs: 20,
  livenessIntervalMs: 200,
  logger: false,
};

/** Starts a server and `clients` fake clients (each beats once and is waited for until schedulable). */
export async function startHarness(
  clients: (FakeClientOptions | undefined)[] = [{}],
  options: DevServerOptions = {},
): Promise<Harness> {
  const server = await startDevServer({ ...TEST_OPTIONS, ...options });
  const started: FakeClient[] = [];
  try {
    for (const c of clients) started.push(await FakeClient.start(server.grpcPort, c));
    for (const c of started) await c.beat();
    if (started.length > 0) await server.waitForNodes(started.length, 5000);
  } catch (e) {
    await Promise.all(started.map((c) => c.close()));
    await server.close();
    throw e;
  }
  return {
    server,
    clients: started,
    close: async () => {
      await Promise.all(started.map((c) => c.close()));
      await server.close();
    },
  };
}
