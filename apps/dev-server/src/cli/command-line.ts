/** `snail-dev`'s options (node's `util.parseArgs`), turned into dev server options. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_NAMESPACE } from 'nestjs-snail-job/protocol';
import type { DevServerOptions } from '../dev-server.options.js';

export const HELP = `Usage: snail-dev [options]

Runs the SnailJob dev server: gRPC for clients, the web console, SnailJob's OpenAPI (/snail-job/api) and the
dev server's HTTP API (/api).

  --grpc-port <n>         gRPC port for clients (0 = any free port)           [17888]
  --http-port <n>         HTTP port: console, OpenAPI, HTTP API (0 = any)     [8080]
  --host <ip>             interface both servers bind                         [127.0.0.1]
  --advertised-host <ip>  host-ip header of server → client calls             [127.0.0.1]
  --data-dir <dir>        keep jobs, batches, tasks, logs in this directory   [.snail-dev]
  --in-memory             keep nothing across restarts (no data directory)
  --group <name>          register a group besides snail_job_demo_group (with --token)
  --token <token>         the token of --group
  --namespace <id>        namespace of --group                                [${DEFAULT_NAMESPACE}]
  --sweep-ms <n>          registration sweep: new nodes schedulable after     [5000]
  --liveness-ms <n>       liveness sweep                                      [10000]
  --node-expiry-ms <n>    drop nodes silent for this long                     [40000]
  --schedule-tick-ms <n>  scheduler resolution                                [100]
  --lenient-map           close MAP batches whose parent reports last
  --quiet                 no log line per dispatch / report / stop
  -h, --help              this text
`;

/** The options `snail-dev` was given, as dev server options; throws a message for bad input. */
export function parseCommandLine(
  argv: string[],
): { help: true } | { help: false; options: DevServerOptions } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'grpc-port': { type: 'string' },
      'http-port': { type: 'string' },
      host: { type: 'string' },
      'advertised-host': { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      group: { type: 'string' },
      token: { type: 'string' },
      namespace: { type: 'string' },
      'sweep-ms': { type: 'string' },
      'liveness-ms': { type: 'string' },
      'node-expiry-ms': { type: 'string' },
      'schedule-tick-ms': { type: 'string' },
      'lenient-map': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const int = (name: keyof typeof values, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < min || n > max) {
      throw new Error(`--${name} must be an integer from ${min} to ${max}; got "${String(raw)}".`);
    }
    return n;
  };
  if (values['in-memory'] && values['data-dir'] !== undefined) {
    throw new Error('--in-memory and --data-dir exclude each other.');
  }
  if ((values.group === undefined) !== (values.token === undefined)) {
    throw new Error('--group and --token go together.');
  }
  const host = values.host ?? '127.0.0.1';
  return {
    help: false,
    options: {
      grpcHost: host,
      httpHost: host,
      grpcPort: int('grpc-port', 0, 65535) ?? 17888,
      httpPort: int('http-port', 0, 65535) ?? 8080,
      advertisedHost: values['advertised-host'] ?? '127.0.0.1',
      dataDir: values['in-memory'] ? undefined : resolve(values['data-dir'] ?? '.snail-dev'),
      groups:
        values.group === undefined
          ? []
          : [
              {
                groupName: values.group,
                token: values.token!,
                namespaceId: values.namespace ?? DEFAULT_NAMESPACE,
              },
            ],
      sweepIntervalMs: int('sweep-ms', 1),
      livenessIntervalMs: int('liveness-ms', 1),
      nodeExpiryMs: int('node-expiry-ms', 1),
      scheduleTickMs: int('schedule-tick-ms', 1),
      lenientMapCompletion: values['lenient-map'] ?? false,
      logger: !values.quiet,
    },
  };
}
