import { Inject, Injectable } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { TaskRunner } from '../execution/task-runner.js';
import { Registrar } from '../registration/registrar.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { ClientIdentity } from '../transport/client-identity.js';
import { SnailJobTransport } from '../transport/snail-job.transport.js';
import { assessHealth } from './client-health.js';

/**
 * Terminus's `HealthIndicatorResult`, spelled out so that this file (reached from the root entry) needs no
 * `@nestjs/terminus` at run time nor for its types.
 */
export type SnailJobHealthResult<Key extends string, Status extends 'up' | 'down', Details> = {
  [K in Key]: Details & { status: Status };
};

/** What the indicator reports besides `status` (and `message` when down). */
// A type, not an interface: Terminus wants a Record-compatible shape.
export type SnailJobHealthDetails = {
  /** This client's `host-id`. */
  hostId: string;
  /** `host:port` advertised to the server for dispatches. */
  address: string;
  /** `host:port` of the SnailJob server. */
  server: string;
  group: string;
  namespace: string;
  /** ISO time of the last heartbeat the server accepted, or null. */
  lastBeatOkAt: string | null;
  /** Why the last heartbeat failed, while health is still up (until the last good beat expires). */
  lastError?: string;
  executorsRegistered: boolean;
  /** Tasks running / waiting for a `parallelNum` slot. */
  running: number;
  queued: number;
};

/**
 * Terminus health indicator of the SnailJob client, for your own `@HealthCheck()` controllers:
 * `this.health.check([() => this.snailJob.isHealthy()])`. Up while the client's gRPC server serves and the
 * last heartbeat succeeded within `heartbeatExpiryMs`; down with the reason otherwise.
 */
@Injectable()
export class SnailJobHealthIndicator {
  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly identity: ClientIdentity,
    private readonly transport: SnailJobTransport,
    private readonly registrar: Registrar,
    private readonly runner: TaskRunner,
  ) {}

  /** Checks the client now; `key` names the entry in the Terminus result. */
  isHealthy<const Key extends string = 'snailJob'>(
    key: Key = 'snailJob' as Key,
  ): SnailJobHealthResult<Key, 'up' | 'down', SnailJobHealthDetails & { message?: string }> {
    const verdict = assessHealth({
      serving: this.transport.isServing(),
      registration: this.registrar.state,
      now: Date.now(),
      expiryMs: this.options.heartbeatExpiryMs,
    });
    // The shape of Terminus's HealthIndicatorSession.up() / .down(): the details, then `status`.
    const entry = verdict.up
      ? { ...this.details(true), status: 'up' as const }
      : { message: verdict.reason, ...this.details(false), status: 'down' as const };
    return { [key]: entry } as SnailJobHealthResult<
      Key,
      'up' | 'down',
      SnailJobHealthDetails & { message?: string }
    >;
  }

  /** `lastError` only when up: when down, the message already carries it. */
  private details(withLastError: boolean): SnailJobHealthDetails {
    const { server, client, group, namespace } = this.options;
    const state = this.registrar.state;
    const { running, queued } = this.runner.stats();
    return {
      hostId: this.identity.hostId,
      address: `${client.host}:${this.identity.port}`,
      server: `${server.host}:${server.port}`,
      group,
      namespace,
      lastBeatOkAt: state.lastBeatOkAt > 0 ? new Date(state.lastBeatOkAt).toISOString() : null,
      ...(withLastError && state.lastError !== undefined && { lastError: state.lastError }),
      executorsRegistered: state.executorsRegistered,
      running,
      queued,
    };
  }
}
