/**
 * CLI: `node apps/dev-server/dist/main.js`. Environment: DEV_SERVER_GRPC_PORT (17888), DEV_SERVER_HTTP_PORT
 * (8080), DEV_SERVER_HOST (127.0.0.1), DEV_SERVER_SWEEP_MS (5000), DEV_SERVER_ADVERTISED_HOST (127.0.0.1),
 * DEV_SERVER_LENIENT_MAP (unset; `1` enables the `lenientMapCompletion` option).
 */
import { startDevServer } from './dev-server.js';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`Environment variable ${name} must be a non-negative integer; got "${raw}".`);
    process.exit(2);
  }
  return n;
}

const host = process.env.DEV_SERVER_HOST || '127.0.0.1';
const server = await startDevServer({
  grpcHost: host,
  grpcPort: envInt('DEV_SERVER_GRPC_PORT', 17888),
  httpHost: host,
  httpPort: envInt('DEV_SERVER_HTTP_PORT', 8080),
  advertisedHost: process.env.DEV_SERVER_ADVERTISED_HOST || '127.0.0.1',
  sweepIntervalMs: envInt('DEV_SERVER_SWEEP_MS', 5000) || 5000,
  lenientMapCompletion: process.env.DEV_SERVER_LENIENT_MAP === '1',
  logger: true,
});
console.log(`SnailJob dev server ready: gRPC ${host}:${server.grpcPort}, HTTP API ${server.baseUrl}/api`);

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  console.log(`${signal} received, closing the dev server`);
  setTimeout(() => {
    console.error('dev server did not close within 5 s; exiting');
    process.exit(1);
  }, 5000).unref();
  server.close().then(
    () => {
      process.exitCode = 0;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
