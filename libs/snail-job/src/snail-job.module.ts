import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { resolveOptions } from './config/resolve-options.js';
import type { SnailJobModuleOptions } from './config/snail-job-options.interface.js';
import { ActiveExecutors } from './diagnostics/active-executors.js';
import { EventLoopMonitor } from './diagnostics/event-loop-monitor.js';
import { ExecutorRegistry } from './discovery/executor.registry.js';
import { SnailJobExplorer } from './discovery/snail-job.explorer.js';
import { TaskRunner } from './execution/task-runner.js';
import { SnailJobHealthRoute } from './health/health.route.js';
import { SnailJobHealthIndicator } from './health/snail-job.health-indicator.js';
import { SnailJobInstrumentation } from './instrument/snail-job-instrumentation.js';
import { SnailJobMetricsRoute } from './metrics/metrics.route.js';
import { PrometheusInstrumentation } from './metrics/prometheus.instrumentation.js';
import { LogReporter } from './logging/log-reporter.js';
import { NestLoggerCapture } from './logging/nest-logger-capture.js';
import { Registrar } from './registration/registrar.js';
import { MapTaskReporter } from './reporting/map-task-reporter.js';
import { ResultOutbox } from './reporting/outbox.js';
import { ResultReporter } from './reporting/result-reporter.js';
import { ShutdownFlushRegistry } from './reporting/shutdown-flush.registry.js';
import { SNAIL_JOB_OPTIONS } from './snail-job.constants.js';
import { SnailJobLifecycle } from './snail-job.lifecycle.js';
import {
  ConfigurableSnailJobModule,
  SNAIL_JOB_ASYNC_OPTIONS_TYPE,
  SNAIL_JOB_MODULE_OPTIONS,
} from './snail-job.module-definition.js';
import { ClientIdentity } from './transport/client-identity.js';
import { ServerChannel } from './transport/server-channel.js';
import { SnailJobTransport } from './transport/snail-job.transport.js';

/**
 * Makes this Nest app a SnailJob executor: import `SnailJobModule.forRoot()` (or `forRootAsync`) once, mark
 * provider methods with `@SnailJob('name')`, and the module registers with the server, serves its dispatches
 * and reports results.
 */
@Module({
  // Our own Terminus instance, silent: the registrar already logs an outage once, probes would log it each time.
  imports: [DiscoveryModule, TerminusModule.forRoot({ logger: false })],
  providers: [
    {
      provide: SNAIL_JOB_OPTIONS,
      useFactory: (options: SnailJobModuleOptions) => resolveOptions(options),
      inject: [SNAIL_JOB_MODULE_OPTIONS],
    },
    ClientIdentity,
    { provide: SnailJobInstrumentation, useClass: PrometheusInstrumentation },
    ExecutorRegistry,
    SnailJobExplorer,
    ServerChannel,
    SnailJobTransport,
    ResultOutbox,
    ResultReporter,
    ShutdownFlushRegistry,
    MapTaskReporter,
    LogReporter,
    NestLoggerCapture,
    TaskRunner,
    { provide: ActiveExecutors, useExisting: TaskRunner },
    Registrar,
    EventLoopMonitor,
    SnailJobLifecycle,
    SnailJobHealthIndicator,
    SnailJobHealthRoute,
    SnailJobMetricsRoute,
  ],
  exports: [
    SNAIL_JOB_OPTIONS,
    ExecutorRegistry,
    TaskRunner,
    Registrar,
    SnailJobTransport,
    SnailJobHealthIndicator,
  ],
})
export class SnailJobModule extends ConfigurableSnailJobModule {
  /** Configures the module from `options`, then `SNAIL_*` environment variables, then defaults. */
  static override forRoot(options: SnailJobModuleOptions = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Configures the module from a factory (e.g. `ConfigService`); env variables fill what it leaves out. */
  static override forRootAsync(options: typeof SNAIL_JOB_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
