import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ResolvedSnailJobOptions } from './config/snail-job-options.interface.js';
import { TaskRunner } from './execution/task-runner.js';
import { LogReporter } from './logging/log-reporter.js';
import type { ConfigRequest } from './protocol/payloads.js';
import { ClientUri } from './protocol/uris.js';
import { Registrar } from './registration/registrar.js';
import { ResultReporter } from './reporting/result-reporter.js';
import { SNAIL_JOB_OPTIONS } from './snail-job.constants.js';
import { ServerChannel } from './transport/server-channel.js';
import { SnailJobTransport } from './transport/snail-job.transport.js';

/**
 * Starts and stops the client: binds the gRPC server, wires the inbound URIs, starts the heartbeat; on shutdown
 * stops accepting work, drains running tasks, flushes reports and closes both gRPC directions.
 */
@Injectable()
export class SnailJobLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('SnailJob');
  private started = false;

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly transport: SnailJobTransport,
    private readonly runner: TaskRunner,
    private readonly registrar: Registrar,
    private readonly reporter: ResultReporter,
    private readonly channel: ServerChannel,
    private readonly logs: LogReporter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.transport.route(ClientUri.DISPATCH, (args) => this.runner.dispatch(args));
    this.transport.route(ClientUri.STOP, (args) => this.runner.stop(args));
    this.transport.route(ClientUri.SYNC_VERSION, (args) => {
      this.registrar.applyConfig(args[0] as ConfigRequest | undefined);
      return { status: 1, data: null };
    });
    await this.transport.start();
    this.started = true;
    if (!this.options.failFast) {
      // Boot never waits for the server: the registrar keeps retrying in the background.
      void this.registrar.start();
      return;
    }
    if (!(await this.registrar.start())) {
      const reason = this.registrar.state.lastError ?? 'unknown error';
      await this.stopAll(0);
      throw new Error(`SnailJob failFast: could not register with the server at start-up (${reason}).`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopAll(30_000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopAll(0);
  }

  private async stopAll(graceMs: number): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const t0 = Date.now();
    await this.runner.shutdown(graceMs);
    const flushBudgetMs = Math.max(1_000, Math.min(5_000, graceMs));
    const [flushed, logsFlushed] = await Promise.all([
      this.reporter.flush(flushBudgetMs),
      this.logs.flush(flushBudgetMs),
    ]);
    this.registrar.stop();
    this.reporter.close();
    this.logs.close();
    await this.transport.close();
    this.channel.close();
    this.logger.log(
      `SnailJob client stopped in ${Date.now() - t0} ms${flushed ? '' : ' (some reports undelivered)'}${
        logsFlushed ? '' : ' (some log entries undelivered)'
      }`,
    );
  }
}
