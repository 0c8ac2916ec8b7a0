#!/usr/bin/env node
/**
 * `snail-dev`: runs the dev server as a local SnailJob server (`npm run dev-server`). Options are parsed by node's
 * `util.parseArgs` (see `--help`); Ctrl-C (SIGINT) or SIGTERM closes it cleanly.
 */
import { startDevServer } from '../dev-server.js';
import { HELP, parseCommandLine } from './command-line.js';

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (e) {
    console.error(`snail-dev: ${(e as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    console.log(HELP);
    return;
  }
  const { options } = parsed;
  const server = await startDevServer(options);
  const grpcHost = options.grpcHost === '0.0.0.0' ? '127.0.0.1' : options.grpcHost;
  console.log(
    [
      'SnailJob dev server ready',
      `  console   ${server.baseUrl}/`,
      `  OpenAPI   ${server.baseUrl}/snail-job/api`,
      `  HTTP API  ${server.baseUrl}/api`,
      `  gRPC      ${grpcHost}:${server.grpcPort}`,
      `  data      ${options.dataDir ?? 'in memory'}`,
      'Ctrl-C to stop',
    ].join('\n'),
  );

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
        console.log('dev server closed');
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
}

await main();
