import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { decodeData } from '../protocol/envelope.js';
import { Header } from '../protocol/headers.js';
import type { ConfigRequest } from '../protocol/payloads.js';
import { ServerUri } from '../protocol/uris.js';
import { backoffDelay } from '../common/backoff.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import {
  EXECUTOR_REGISTRATION_FAILED,
  EXECUTORS_REGISTERED,
  REGISTRATION_FAILED,
  REGISTRATION_REFUSED,
} from '../snail-job.messages.js';
import { ServerChannel } from '../transport/server-channel.js';

const CONFIG_SYNC_MS = 60_000;

/** Why heartbeats fail; a change of kind is worth a new log line. */
type FailureKind = 'unreachable' | 'token' | 'refused';

/** What the registrar knows about its standing with the server (read by health checks). */
export interface RegistrationState {
  /** Epoch ms of the last heartbeat the server answered with status 1, or 0. */
  lastBeatOkAt: number;
  /** Why the last heartbeat failed, or undefined after a success. */
  lastError: string | undefined;
  /** True when the server rejected our token. */
  tokenRejected: boolean;
  /** True once executors were registered. */
  executorsRegistered: boolean;
}

/**
 * Heartbeat (`/beat` at start and every `heartbeatIntervalMs`: the heartbeat *is* the registration), executor
 * registration and config sync. While the server is unreachable, beats are retried with exponential backoff
 * and jitter (never slower than the heartbeat period), and the outage is logged once.
 */
@Injectable()
export class Registrar {
  private readonly logger = new Logger('SnailJob');
  private timer: NodeJS.Timeout | undefined;
  private configTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** Kind of the failure already logged in the current outage (one line per outage and kind). */
  private loggedFailure: FailureKind | undefined;
  private outageStartedAt = 0;
  private stopped = true;
  private configStarted = false;
  readonly state: RegistrationState = {
    lastBeatOkAt: 0,
    lastError: undefined,
    tokenRejected: false,
    executorsRegistered: false,
  };

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly channel: ServerChannel,
    private readonly registry: ExecutorRegistry,
    private readonly instrumentation: SnailJobInstrumentation,
  ) {}

  /** Sends the first beat and starts the timers. Resolves with whether the first beat succeeded. */
  async start(): Promise<boolean> {
    this.stopped = false;
    const ok = await this.beat();
    this.schedule(ok);
    return ok;
  }

  /** Stops all timers. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.configTimer) clearTimeout(this.configTimer);
    this.timer = this.configTimer = undefined;
    this.configStarted = false;
  }

  /** Labels as sent in the `label` header (always with `state: up`). */
  labels(): Record<string, string> {
    return { ...this.options.labels, state: 'up' };
  }

  private schedule(lastOk: boolean): void {
    if (this.stopped) return;
    const delay = lastOk
      ? this.options.heartbeatIntervalMs
      : Math.min(
          this.options.heartbeatIntervalMs,
          backoffDelay(this.failures, 500, this.options.heartbeatIntervalMs),
        );
    this.timer = setTimeout(() => {
      void this.beat().then((ok) => this.schedule(ok));
    }, delay);
    this.timer.unref();
  }

  /** One heartbeat; on success also registers executors and syncs config when still due. */
  async beat(): Promise<boolean> {
    const labels = this.labels();
    const target = `${this.options.server.host}:${this.options.server.port}`;
    let ok = false;
    try {
      const reply = await this.channel.call(ServerUri.BEAT, ['PING', labels], {
        headers: { [Header.LABEL]: JSON.stringify(labels) },
      });
      ok = reply.status === 1;
      if (!ok) {
        this.state.tokenRejected = /token/i.test(reply.message);
        this.fail(
          this.state.tokenRejected ? 'token' : 'refused',
          this.state.tokenRejected
            ? `token rejected by the SnailJob server at ${target} (group "${this.options.group}", namespace "${this.options.namespace}"): ${reply.message}`
            : `SnailJob server at ${target} refused the heartbeat: ${reply.message}`,
        );
      }
    } catch (error) {
      this.fail('unreachable', `SnailJob server unreachable at ${target}: ${(error as Error).message}`);
      this.channel.resetIfDisconnected();
    }
    this.instrumentation.heartbeat(ok, Date.now());
    if (!ok) return false;
    if (this.failures > 0 || this.state.lastBeatOkAt === 0) {
      const after =
        this.failures > 0 ? ` after ${Math.round((Date.now() - this.outageStartedAt) / 1000)} s` : '';
      this.logger.log(
        `Registered with SnailJob server ${target}${after} as ${this.channel.headers()[Header.HOST_ID]} (group "${this.options.group}")`,
      );
    }
    this.failures = 0;
    this.loggedFailure = undefined;
    this.state.lastBeatOkAt = Date.now();
    this.state.lastError = undefined;
    this.state.tokenRejected = false;
    if (!this.state.executorsRegistered) await this.registerExecutors();
    if (!this.configStarted && !this.stopped) {
      this.configStarted = true;
      void this.syncConfig();
    }
    return true;
  }

  /**
   * Records a failed beat. Logs one line per outage (and again only if the kind of failure changes, e.g. the
   * server comes back but rejects the token): grpc-js error texts vary from one attempt to the next.
   */
  private fail(kind: FailureKind, reason: string): void {
    if (this.failures === 0) this.outageStartedAt = Date.now();
    this.failures++;
    if (this.loggedFailure !== kind) {
      this.loggedFailure = kind;
      this.logger.error(REGISTRATION_FAILED(reason, this.options.heartbeatIntervalMs));
    } else {
      this.logger.debug?.(`Heartbeat ${this.failures} failed: ${reason}`);
    }
    this.state.lastError = reason;
  }

  /** `/register/job/executors`: every executor name, once (retried with the next beat until it succeeds). */
  async registerExecutors(): Promise<void> {
    const names = this.registry.names();
    if (names.length === 0) {
      this.state.executorsRegistered = true;
      return;
    }
    try {
      const reply = await this.channel.call(ServerUri.REGISTER_EXECUTORS, [
        names.map((executorInfo) => ({ executorInfo })),
      ]);
      if (reply.status === 1) {
        this.state.executorsRegistered = true;
        this.logger.log(EXECUTORS_REGISTERED(names));
      } else {
        this.logger.warn(REGISTRATION_REFUSED(reply.message));
      }
    } catch (error) {
      this.logger.warn(EXECUTOR_REGISTRATION_FAILED((error as Error).message));
    }
  }

  /** `/sync/version` pull (every 60 s): keeps the config version for the `version` header. */
  async syncConfig(): Promise<void> {
    try {
      const reply = await this.channel.call(ServerUri.SYNC_VERSION, null, { timeoutMs: 1_000 });
      if (reply.status === 1) this.applyConfig(decodeData(reply.data) as ConfigRequest | null);
    } catch {
      // Optional: the server does not need it; the next sync tries again.
    }
    if (this.stopped) return;
    this.configTimer = setTimeout(() => {
      this.configTimer = undefined;
      void this.syncConfig();
    }, CONFIG_SYNC_MS);
    this.configTimer.unref();
  }

  /** Applies a config pulled or pushed by the server. */
  applyConfig(config: ConfigRequest | null | undefined): void {
    if (config && typeof config === 'object' && typeof config.version === 'number') {
      this.channel.configVersion = config.version;
    }
  }
}
