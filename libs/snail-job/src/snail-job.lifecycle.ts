import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ResolvedSnailJobOptions } from './config/snail-job-options.interface.js';
import { EventLoopMonitor } from './diagnostics/event-loop-monitor.js';
import { ExecutorRegistry } from './discovery/executor.registry.js';
import { TaskRunner } from './execution/task-runner.js';
import { LogReporter } from './logging/log-reporter.js';
import type { ConfigRequest } from './protocol/payloads.js';
import { ClientUri } from './protocol/uris.js';
import { Registrar } from './registration/registrar.js';
import { ResultReporter } from './reporting/result-reporter.js';
import { ShutdownFlushRegistry } from './reporting/shutdown-flush.registry.js';
import { securityWarnings } from './security/security-warnings.js';
import { SignalDrain } from './shutdown/signal-drain.js';
import { SNAIL_JOB_OPTIONS } from './snail-job.constants.js';
import { CLIENT_STOPPED, FAIL_FAST, LIMIT_FOR_UNKNOWN_EXECUTOR } from './snail-job.messages.js';
import { ServerChannel } from './transport/server-channel.js';
import { SnailJobTransport } from './transport/snail-job.transport.js';

/**
 * Starts and stops the client: binds the gRPC server, wires the inbound URIs, starts the heartbeat; on shutdown
 * stops accepting work, drains running tasks (`shutdownGraceMs`), flushes reports and closes both gRPC directions.
 */
@Injectable()
export class SnailJobLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('SnailJob');
  private started = false;
  private stopping: Promise<void> | undefined;
  /** Without `app.enableShutdownHooks()`, a SIGTERM still drains running tasks (docs/installation.md). */
  private readonly signals = new SignalDrain(
    () => this.stopAll(this.options.shutdownGraceMs),
    (message) => this.logger.warn(message),
  );

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly transport: SnailJobTransport,
    private readonly runner: TaskRunner,
    private readonly registrar: Registrar,
    private readonly reporter: ResultReporter,
    private readonly channel: ServerChannel,
    private readonly logs: LogReporter,
    private readonly monitor: EventLoopMonitor,
    private readonly registry: ExecutorRegistry,
    private readonly flushes: ShutdownFlushRegistry,
  ) {
    flushes.register('result reports', (timeoutMs) => reporter.flush(timeoutMs));
    flushes.register('remote log entries', (timeoutMs) => logs.flush(timeoutMs));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const warning of securityWarnings(this.options)) this.logger.warn(warning);
    this.checkExecutorLimits();
    // Reports left by an earlier run go out first (throws when outboxDir is unusable).
    this.reporter.restore();
    this.transport.route(ClientUri.DISPATCH, (args) => this.runner.dispatch(args));
    this.transport.route(ClientUri.STOP, (args) => this.runner.stop(args));
    this.transport.route(ClientUri.SYNC_VERSION, (args) => {
      this.registrar.applyConfig(args[0] as ConfigRequest | undefined);
      return { status: 1, data: null };
    });
    try {
      await this.transport.start();
    } catch (error) {
      this.reporter.close(); // releases the outbox lock
      throw error;
    }
    this.started = true;
    this.stopping = undefined;
    this.signals.install();
    this.monitor.start();
    if (!this.options.failFast) {
      // Boot never waits for the server: the registrar keeps retrying in the background.
      void this.registrar.start();
      return;
    }
    if (!(await this.registrar.start())) {
      const reason = this.registrar.state.lastError ?? 'unknown error';
      await this.stopAll(0);
      throw new Error(FAIL_FAST(reason));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopAll(this.options.shutdownGraceMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopAll(0);
  }

  /**
   * The shutdown sequence: refuse new dispatches, let running tasks finish for up to `graceMs` then abort them,
   * flush every registered reporter, stop the heartbeat, close the gRPC server and the channel to the server.
   * A call while a stop is under way waits for that one.
   */
  private stopAll(graceMs: number): Promise<void> {
    if (this.started) {
      this.started = false;
      this.signals.uninstall();
      this.stopping = this.stopSequence(graceMs);
    }
    return this.stopping ?? Promise.resolve();
  }

  private async stopSequence(graceMs: number): Promise<void> {
    const t0 = Date.now();
    await this.runner.shutdown(graceMs);
    const unflushed = await this.flushes.flushAll(Math.max(1_000, Math.min(5_000, graceMs)));
    this.monitor.stop();
    this.registrar.stop();
    this.reporter.close();
    this.logs.close();
    await this.transport.close();
    this.channel.close();
    this.logger.log(CLIENT_STOPPED(Date.now() - t0, unflushed));
  }

  /** Warns about per-executor limits that name no registered executor (a typo would silently do nothing). */
  private checkExecutorLimits(): void {
    const names = this.registry.names();
    for (const name of Object.keys(this.options.maxConcurrentPerExecutor.byExecutor)) {
      if (!this.registry.get(name)) {
        this.logger.warn(LIMIT_FOR_UNKNOWN_EXECUTOR(name, names, this.registry.closest(name)));
      }
    }
  }
}
