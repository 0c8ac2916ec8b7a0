import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BuiltinExecutorsRegistrar } from './builtin/builtin-executors.registrar.js';
import { resolveOptions } from './config/resolve-options.js';
import type { ResolvedSnailJobOptions, SnailJobModuleOptions } from './config/snail-job-options.interface.js';
import { ActiveExecutors } from './diagnostics/active-executors.js';
import { EventLoopMonitor } from './diagnostics/event-loop-monitor.js';
import { ExecutorRegistry } from './discovery/executor.registry.js';
import { SnailJobExplorer } from './discovery/snail-job.explorer.js';
import { TaskInvoker } from './execution/task-invoker.js';
import { TaskRunner } from './execution/task-runner.js';
import { createHealthController, loadTerminusBridge } from './health/health.controller.js';
import { SnailJobHealthIndicator } from './health/snail-job.health-indicator.js';
import { SnailJobInstrumentation } from './instrument/snail-job-instrumentation.js';
import { declareGetRoute } from './http/route-declaration.js';
import { createMetricsController, SNAIL_PROMETHEUS_SCRAPE } from './metrics/metrics.controller.js';
import { loadPrometheus, type PrometheusPart } from './metrics/prometheus-loader.js';
import { INBOUND_HANDLERS } from './inbound/inbound-handlers.js';
import { LogReporter } from './logging/log-reporter.js';
import { NestLoggerCapture } from './logging/nest-logger-capture.js';
import { SnailJobOpenApi } from './openapi/snail-job-open-api.js';
import { Registrar } from './registration/registrar.js';
import { MapTaskReporter } from './reporting/map-task-reporter.js';
import { ResultOutbox } from './reporting/outbox.js';
import { ResultReporter } from './reporting/result-reporter.js';
import { ShutdownFlushRegistry } from './reporting/shutdown-flush.registry.js';
import { SNAIL_JOB_OPTIONS } from './snail-job.constants.js';
import { HEALTH_OFF_AT_DEFINITION } from './snail-job.messages.js';
import { SnailJobLifecycle } from './snail-job.lifecycle.js';
import {
  ConfigurableSnailJobModule,
  SNAIL_JOB_ASYNC_OPTIONS_TYPE,
  SNAIL_JOB_MODULE_OPTIONS,
} from './snail-job.module-definition.js';
import { TaskTracing } from './tracing/task-tracing.js';
import { ClientIdentity } from './transport/client-identity.js';
import { ServerChannel } from './transport/server-channel.js';
import { SnailJobTransport } from './transport/snail-job.transport.js';

/** The loaded prom-client half of the metrics part, or null. */
const PROMETHEUS_PART = Symbol('snail-job:prometheus-part');
/** Instantiated once the options resolve: declares this definition's routes. */
const HTTP_ROUTES_DECLARED = Symbol('snail-job:http-routes-declared');

/**
 * Makes this Nest app a SnailJob executor: import `SnailJobModule.forRoot()` (or `forRootAsync`) once, mark
 * provider methods with `@SnailJob('name')`, and the module registers with the server, serves its dispatches
 * and reports results.
 */
@Module({
  // The health and metrics controllers, and Terminus, come with each definition (forRoot / forRootAsync).
  imports: [DiscoveryModule],
  controllers: [...INBOUND_HANDLERS],
  providers: [
    {
      provide: SNAIL_JOB_OPTIONS,
      useFactory: (options: SnailJobModuleOptions) => resolveOptions(options),
      inject: [SNAIL_JOB_MODULE_OPTIONS],
    },
    ClientIdentity,
    {
      provide: PROMETHEUS_PART,
      useFactory: (options: ResolvedSnailJobOptions) => loadPrometheus(options.metrics),
      inject: [SNAIL_JOB_OPTIONS],
    },
    {
      provide: SNAIL_PROMETHEUS_SCRAPE,
      useFactory: (part: PrometheusPart | null) => part?.scrape ?? null,
      inject: [PROMETHEUS_PART],
    },
    {
      provide: SnailJobInstrumentation,
      useFactory: (part: PrometheusPart | null, registry: ExecutorRegistry) =>
        part ? new part.Instrumentation(registry) : new SnailJobInstrumentation(),
      inject: [PROMETHEUS_PART, ExecutorRegistry],
    },
    ExecutorRegistry,
    SnailJobExplorer,
    BuiltinExecutorsRegistrar,
    TaskTracing,
    ServerChannel,
    SnailJobTransport,
    ResultOutbox,
    ResultReporter,
    ShutdownFlushRegistry,
    MapTaskReporter,
    LogReporter,
    NestLoggerCapture,
    TaskInvoker,
    TaskRunner,
    { provide: ActiveExecutors, useExisting: TaskRunner },
    Registrar,
    EventLoopMonitor,
    SnailJobLifecycle,
    SnailJobHealthIndicator,
    {
      provide: SnailJobOpenApi,
      useFactory: (o: ResolvedSnailJobOptions) =>
        new SnailJobOpenApi({
          baseUrl: o.server.openApiUrl,
          namespace: o.namespace,
          groupName: o.group,
          token: o.token,
          timeoutMs: o.requestTimeoutMs,
        }),
      inject: [SNAIL_JOB_OPTIONS],
    },
  ],
  exports: [
    SnailJobOpenApi,
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
    return withHttpParts(super.forRoot(options), healthOnAtDefinition(options.health));
  }

  /**
   * Configures the module from a factory (e.g. `ConfigService`); env variables fill what it leaves out. The
   * factory may choose the health and metrics paths; whether `@nestjs/terminus` is loaded is decided here,
   * from `health` beside the factory or SNAIL_HEALTH_PATH (docs/health-metrics.md).
   */
  static override forRootAsync(options: SnailJobModuleAsyncOptions): DynamicModule {
    return withHttpParts(super.forRootAsync(options), healthOnAtDefinition(options.health));
  }
}

/** `forRootAsync` options: the factory's, plus `health: false` to leave `@nestjs/terminus` unloaded. */
export type SnailJobModuleAsyncOptions = typeof SNAIL_JOB_ASYNC_OPTIONS_TYPE & {
  /** `false`: no health part, whatever the factory returns. @default on, unless SNAIL_HEALTH_PATH=false */
  health?: false;
};

/** Whether the health part is on when the module is defined: only then is `@nestjs/terminus` loaded. */
function healthOnAtDefinition(health: string | false | undefined, env = process.env): boolean {
  const value = health ?? env['SNAIL_HEALTH_PATH']?.trim();
  return value !== false && value !== 'false';
}

/**
 * Adds this definition's own health and metrics controllers. Their `GET` routes are declared once the options
 * resolve (before Nest maps routes), at the configured paths or not at all when `false`.
 */
function withHttpParts(definition: DynamicModule, healthOn: boolean): DynamicModule {
  const health = healthOn ? createHealthController() : undefined;
  const metrics = createMetricsController();
  return {
    ...definition,
    imports: [...(definition.imports ?? []), ...(health ? [loadTerminusBridge()] : [])],
    controllers: [...(definition.controllers ?? []), ...(health ? [health] : []), metrics],
    providers: [
      ...(definition.providers ?? []),
      {
        provide: HTTP_ROUTES_DECLARED,
        useFactory: (options: ResolvedSnailJobOptions) => {
          if (health) declareGetRoute(health, health.routeMethod, options.health);
          else if (options.health !== false) throw new Error(HEALTH_OFF_AT_DEFINITION(options.health));
          declareGetRoute(metrics, metrics.routeMethod, options.metrics);
          return true;
        },
        inject: [SNAIL_JOB_OPTIONS],
      },
    ],
  };
}
