import { randomInt } from 'node:crypto';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { DEFAULT_NAMESPACE, DEFAULT_SERVER_TOKEN, DEMO_GROUP, DEMO_TOKEN } from 'nestjs-snail-job/protocol';

/** A (namespace, group) pair with its token. */
export interface DevServerGroup {
  /** @default '764d604ec6fc45f68cd92514c40e9e1a' */
  namespaceId?: string;
  groupName: string;
  token: string;
}

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** Interface the gRPC server binds. @default '0.0.0.0' */
  grpcHost?: string;
  /** gRPC port; 0 picks a free port (read it back from `DevServer.grpcPort`). @default 17888 */
  grpcPort?: number;
  /** Interface the HTTP API binds. @default '0.0.0.0' */
  httpHost?: string;
  /** HTTP port; 0 picks a free port. @default 8080 */
  httpPort?: number;
  /** Address advertised in the `host-ip` header of server → client calls. @default '127.0.0.1' */
  advertisedHost?: string;
  /** Registration sweep: queued heartbeats are processed (and new nodes become schedulable) this often. @default 5000 */
  sweepIntervalMs?: number;
  /** Liveness sweep: nodes marked not alive are revived, expired nodes dropped, this often. @default 10000 */
  livenessIntervalMs?: number;
  /** A node whose last processed heartbeat is older than this is dropped. @default 40000 */
  nodeExpiryMs?: number;
  /** Groups besides the demo group, which is always registered. @default [] */
  groups?: DevServerGroup[];
  /** Server token sent as `token` on server → client calls. @default 'SJ_H9HGGmrX3QBVTfsAAG2mcKH3SR7bCLsK' */
  serverToken?: string;
  /** First id of the shared id sequence; use a value above 2^53 to exercise long ids. @default 1 */
  idBase?: bigint | number;
  /** Inbound + outbound requests kept in the journal. @default 10000 */
  journalSize?: number;
  /** How long a dispatch waits for the client's reply. @default 3000 */
  dispatchWaitMs?: number;
  /**
   * Most dispatches in flight at once. The Java server sends dispatches from a bounded actor pool (16
   * threads), so a large map fan-out reaches a client at a bounded rate, not all at once. @default 16
   */
  dispatchConcurrency?: number;
  /** How long a stop waits for the client's reply (3 attempts). @default 1000 */
  stopWaitMs?: number;
  /** How long a config push waits for the client's reply (3 attempts). @default 5000 */
  configPushWaitMs?: number;
  /** Pause between attempts of stops and config pushes. @default 1000 */
  callRetryIntervalMs?: number;
  /**
   * Opt-in deviation: also run the completion check when a *non-leaf* map task reports. The Java server
   * does not (docs/protocol.md §12 pitfall 18), so a MAP batch whose parent reports after all its children stays
   * RUNNING for good; turn this on to let demos finish anyway. @default false
   */
  lenientMapCompletion?: boolean;
  /** `true` logs one line per dispatch / report / stop; a LoggerService or log levels customise it. @default false */
  logger?: boolean | LoggerService | LogLevel[];
  /** How often the scheduler looks for due jobs and workflows (their trigger fires within this much). @default 100 */
  scheduleTickMs?: number;
  /**
   * Keep jobs, workflows, batches, tasks and logs in files under this directory (created if missing) and load them
   * at start. Absent: everything stays in memory.
   */
  dataDir?: string;
  /** How often pending changes are appended to the data directory's journal. @default 200 */
  persistIntervalMs?: number;
}

/** Options with every default applied. */
export interface ResolvedDevServerOptions {
  grpcHost: string;
  grpcPort: number;
  httpHost: string;
  httpPort: number;
  advertisedHost: string;
  sweepIntervalMs: number;
  livenessIntervalMs: number;
  nodeExpiryMs: number;
  groups: Required<DevServerGroup>[];
  serverToken: string;
  serverHostId: string;
  idBase: bigint;
  journalSize: number;
  dispatchWaitMs: number;
  dispatchConcurrency: number;
  stopWaitMs: number;
  configPushWaitMs: number;
  callRetryIntervalMs: number;
  lenientMapCompletion: boolean;
  logger: boolean | LoggerService | LogLevel[];
  scheduleTickMs: number;
  dataDir: string | undefined;
  persistIntervalMs: number;
}

/** Injection token of {@link ResolvedDevServerOptions}. */
export const DEV_SERVER_OPTIONS = Symbol('DEV_SERVER_OPTIONS');

/** The demo group every dev server knows. */
export const DEMO_GROUP_CONFIG: Required<DevServerGroup> = {
  namespaceId: DEFAULT_NAMESPACE,
  groupName: DEMO_GROUP,
  token: DEMO_TOKEN,
};

/** One plain setting of the dev server: its default and, for numbers, the check that refuses a bad value. */
interface DevSetting<T> {
  readonly default: T;
  /** Returns what the option must be, when `value` is refused. */
  readonly check?: (value: T) => string | undefined;
}

const portNumber = (v: number) =>
  Number.isInteger(v) && v >= 0 && v <= 65535 ? undefined : 'a port number between 0 and 65535';
const positiveMs = (v: number) =>
  Number.isFinite(v) && v > 0 ? undefined : 'a positive number of milliseconds';

type Plain = Exclude<keyof ResolvedDevServerOptions, 'groups' | 'serverHostId' | 'idBase' | 'dataDir'>;

/**
 * The dev server's settings table: every option that is "given value, else default", with its check. Options
 * only (the dev server reads no environment; `snail-dev` maps its flags, apps/dev-server/src/cli/command-line.ts).
 * `groups`, `idBase` and `dataDir` are resolved by {@link resolveOptions} itself.
 */
export const DEV_SERVER_SETTINGS: { readonly [K in Plain]: DevSetting<ResolvedDevServerOptions[K]> } = {
  grpcHost: { default: '0.0.0.0' },
  grpcPort: { default: 17888, check: portNumber },
  httpHost: { default: '0.0.0.0' },
  httpPort: { default: 8080, check: portNumber },
  advertisedHost: { default: '127.0.0.1' },
  sweepIntervalMs: { default: 5000, check: positiveMs },
  livenessIntervalMs: { default: 10_000, check: positiveMs },
  nodeExpiryMs: { default: 40_000, check: positiveMs },
  serverToken: { default: DEFAULT_SERVER_TOKEN },
  journalSize: { default: 10_000, check: positiveMs },
  dispatchWaitMs: { default: 3000, check: positiveMs },
  dispatchConcurrency: { default: 16, check: positiveMs },
  stopWaitMs: { default: 1000, check: positiveMs },
  configPushWaitMs: { default: 5000, check: positiveMs },
  callRetryIntervalMs: { default: 1000, check: positiveMs },
  lenientMapCompletion: { default: false },
  logger: { default: false },
  scheduleTickMs: { default: 100, check: positiveMs },
  persistIntervalMs: { default: 200, check: positiveMs },
};

/** Each row of {@link DEV_SERVER_SETTINGS}: the given option, else the default; a refused value throws. */
function resolvePlain(options: DevServerOptions): Pick<ResolvedDevServerOptions, Plain> {
  const out: Record<string, unknown> = {};
  for (const [name, row] of Object.entries(DEV_SERVER_SETTINGS) as [Plain, DevSetting<unknown>][]) {
    const given: unknown = options[name];
    const value = given ?? row.default;
    const mustBe = row.check?.(value);
    if (mustBe !== undefined) throw new Error(`Option "${name}" must be ${mustBe}; got ${String(given)}.`);
    out[name] = value;
  }
  return out as Pick<ResolvedDevServerOptions, Plain>;
}

/** A snowflake-like decimal id for the server node (sent as `host-id`). */
function serverHostId(): string {
  return `19${String(randomInt(1e8)).padStart(8, '0')}${String(randomInt(1e9)).padStart(9, '0')}`;
}

/** Applies defaults and validates; throws an Error naming the bad option. */
export function resolveOptions(options: DevServerOptions = {}): ResolvedDevServerOptions {
  const idBase = BigInt(options.idBase ?? 1);
  if (idBase < 1n) throw new Error(`Option "idBase" must be at least 1; got ${idBase}.`);
  return {
    ...resolvePlain(options),
    groups: (options.groups ?? []).map((g) => ({
      namespaceId: g.namespaceId ?? DEFAULT_NAMESPACE,
      groupName: g.groupName,
      token: g.token,
    })),
    serverHostId: serverHostId(),
    idBase,
    dataDir: options.dataDir,
  };
}
