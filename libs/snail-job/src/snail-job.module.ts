import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { resolveOptions } from './config/resolve-options.js';
import type { SnailJobModuleOptions } from './config/snail-job-options.interface.js';
import { EventLoopMonitor } from './diagnostics/event-loop-monitor.js';
import { ExecutorRegistry } from './discovery/executor.registry.js';
import { SnailJobExplorer } from './discovery/snail-job.explorer.js';
import { TaskRunner } from './execution/task-runner.js';
import { SnailJobInstrumentation } from './instrument/snail-job-instrumentation.js';
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
  imports: [DiscoveryModule],
  providers: [
    {
      provide: SNAIL_JOB_OPTIONS,
      useFactory: (options: SnailJobModuleOptions) => resolveOptions(options),
      inject: [SNAIL_JOB_MODULE_OPTIONS],
    },
    ClientIdentity,
    SnailJobInstrumentation,
    ExecutorRegistry,
    SnailJobExplorer,
    ServerChannel,
    SnailJobTransport,
    ResultOutbox,
    ResultReporter,
    ShutdownFlushRegistry,
    MapTaskReporter,
    TaskRunner,
    Registrar,
    EventLoopMonitor,
    SnailJobLifecycle,
  ],
  exports: [SNAIL_JOB_OPTIONS, ExecutorRegistry, TaskRunner, Registrar, SnailJobTransport],
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
