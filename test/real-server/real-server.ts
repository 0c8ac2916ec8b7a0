import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SnailConsole } from './console.js';
import { startPostgres, type Postgres } from './postgres.js';
import { freePort, onExit, pollUntil, portOpen, signal, stopChild, tail } from './processes.js';
import {
  findJava,
  launchArgs,
  obtainServer,
  type ServerLaunch,
  type ServerUnavailable,
} from './server-jar.js';

/** Options of {@link startRealServer}. */
export interface RealServerOptions {
  /** How to launch the server; default {@link obtainServer}. */
  launch?: ServerLaunch;
  /** How long start-up may take. @default 180000 */
  startTimeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Extra `--key=value` Spring arguments. */
  args?: string[];
}

/** A running SnailJob server on 127.0.0.1 with its own throw-away PostgreSQL. */
export interface RealServer {
  /** Console/OpenAPI base URL, e.g. `http://127.0.0.1:41234/snail-job`. */
  readonly baseUrl: string;
  readonly httpPort: number;
  /** Port clients dial (`snail-job.server-port`). */
  readonly grpcPort: number;
  readonly postgres: Postgres;
  /** A logged-in console client. */
  readonly console: SnailConsole;
  /** Milliseconds from spawning the JVM until console and gRPC both answered (last start). */
  readonly startMs: number;
  /** The JVM's PID (undefined while stopped). */
  readonly pid: number | undefined;
  /** The server's stdout/stderr so far. */
  readonly logFile: string;
  /** Stops the JVM (SIGTERM, SIGKILL after 15 s) and starts it again on the same ports and database. */
  restart(): Promise<void>;
  /** Stops the JVM and PostgreSQL and removes every temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/** Thrown by {@link startRealServer} when the server jar cannot be obtained. */
export class RealServerUnavailableError extends Error {
  constructor(readonly unavailable: ServerUnavailable) {
    super(`The SnailJob server could not be obtained:\n  ${unavailable.errors.join('\n  ')}`);
  }
}

/**
 * Starts PostgreSQL (schema loaded) and the SnailJob 2.0.2 server on free loopback ports and waits until the
 * console answers a login and the gRPC port accepts connections. Everything started is stopped by PID when
 * this throws, on {@link RealServer.stop}, and at process exit or SIGINT/SIGTERM otherwise.
 *
 * The console binds 127.0.0.1 (`--server.address`); the gRPC server binds every interface of the free port
 * (`NettyServerBuilder.forPort` in `snail-job-server-common/.../rpc/server/grpc/GrpcServer.java` offers no
 * address), and the tests reach it on 127.0.0.1 only.
 */
export async function startRealServer(options: RealServerOptions = {}): Promise<RealServer> {
  const log = options.log ?? (() => undefined);
  const launch = options.launch ?? obtainServer(log);
  if (launch.kind === 'unavailable') throw new RealServerUnavailableError(launch);
  const java = findJava();
  const postgres = await startPostgres();
  log(`PostgreSQL on 127.0.0.1:${postgres.port}`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'snail-server-'));
  const logFile = path.join(workDir, 'server.log');
  let child: ChildProcess | undefined;
  const killNow = () => {
    if (child?.pid !== undefined && child.exitCode === null) signal(child.pid, 'SIGKILL');
  };
  const unregister = onExit(() => {
    killNow();
    fs.rmSync(workDir, { recursive: true, force: true });
    postgres.stop();
  });

  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${httpPort}/snail-job`;
  const console = new SnailConsole(baseUrl);
  const args = [
    '-XX:TieredStopAtLevel=1',
    '-Xss512k',
    ...launchArgs(launch),
    '--server.address=127.0.0.1',
    `--server.port=${httpPort}`,
    `--snail-job.server-port=${grpcPort}`,
    '--spring.datasource.driver-class-name=org.postgresql.Driver',
    `--spring.datasource.url=${postgres.jdbcUrl}`,
    `--spring.datasource.username=${postgres.user}`,
    '--spring.datasource.password=',
    '--spring.datasource.hikari.maximum-pool-size=20',
    '--spring.datasource.hikari.minimum-idle=2',
    ...(options.args ?? []),
  ];
  let startMs = 0;

  const start = async () => {
    const out = fs.openSync(logFile, 'a');
    const t0 = Date.now();
    // cwd = workDir: the server's logback writes ./data/log there
    child = spawn(java, args, { cwd: workDir, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const exited = () => child!.exitCode !== null || child!.signalCode !== null;
    await pollUntil(
      async () => {
        if (exited())
          throw new Error(
            `SnailJob server exited (${child!.exitCode ?? child!.signalCode})\n${tail(logFile)}`,
          );
        if (!(await portOpen(grpcPort))) return false;
        try {
          await console.login();
          return true;
        } catch {
          return false;
        }
      },
      options.startTimeoutMs ?? 180_000,
      'SnailJob server start',
      () => tail(logFile),
      250,
    );
    startMs = Date.now() - t0;
    log(
      `SnailJob server (${launch.source}) up in ${startMs} ms: console ${baseUrl}, gRPC 127.0.0.1:${grpcPort}`,
    );
  };

  const stopJvm = async () => {
    if (child) await stopChild(child, 15_000);
  };

  let stopped = false;
  const server: RealServer = {
    baseUrl,
    httpPort,
    grpcPort,
    postgres,
    console,
    get startMs() {
      return startMs;
    },
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    logFile,
    async restart() {
      await stopJvm();
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopJvm();
      unregister();
    },
  };

  try {
    await start();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}
