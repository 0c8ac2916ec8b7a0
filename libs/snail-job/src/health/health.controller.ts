import { Controller, Inject, Res, type DynamicModule, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { handledLater, loadOptionalPeer } from '../common/optional-peer.js';
import { SnailJobHealthIndicator } from './snail-job.health-indicator.js';

/** Token of our own (silent) Terminus `HealthCheckService`, exported by the bridge module below. */
export const SNAIL_HEALTH_CHECK = Symbol('snail-job:health-check');

const NO_CACHE = ['Cache-Control', 'no-cache, no-store, must-revalidate'] as const;

/** The part name and setting that the missing-package error names. */
export const HEALTH_PART = { part: 'health', setting: 'option health / SNAIL_HEALTH_PATH' };

/** A controller of the health route, and the route method {@link declareGetRoute} decorates. */
export interface HealthControllerClass extends Type<unknown> {
  readonly routeMethod: 'check';
}

/**
 * A fresh controller class serving Terminus's standard body: 200 `{status: 'ok', …}`, or the
 * `ServiceUnavailableException` of `HealthCheckService.check` (503 `{status: 'error' | 'shutting_down', …}`),
 * which Nest's exception layer answers, like a `@HealthCheck()` controller of the app. The route goes through
 * the app's global prefix, versioning, guards, interceptors and filters.
 */
export function createHealthController(): HealthControllerClass {
  @Controller()
  class SnailJobHealthController {
    static readonly routeMethod = 'check';

    constructor(
      @Inject(SNAIL_HEALTH_CHECK) private readonly health: HealthCheckService,
      private readonly indicator: SnailJobHealthIndicator,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    /** Set first: a 503 is answered by the exception layer, and keeps the headers set before it. */
    check(@Res({ passthrough: true }) response: unknown): Promise<HealthCheckResult> {
      this.adapterHost.httpAdapter.setHeader(response, ...NO_CACHE);
      return this.health.check([() => this.indicator.isHealthy()]);
    }
  }
  return SnailJobHealthController;
}

/** Bridge module: imports our own Terminus and exports its HealthCheckService under a token of ours. */
class SnailJobTerminusModule {}

/**
 * Loads `@nestjs/terminus` (an optional peer) and resolves to a module giving {@link SNAIL_HEALTH_CHECK}, for
 * the `imports` of a SnailJob module whose health part is on; rejects with the install hint when the
 * package is missing. Our own Terminus instance is silent: the registrar already logs an outage once,
 * probes would log it each time.
 */
export function loadTerminusBridge(): Promise<DynamicModule> {
  return handledLater(
    loadOptionalPeer('@nestjs/terminus', HEALTH_PART, () => import('@nestjs/terminus')).then((terminus) => ({
      module: SnailJobTerminusModule,
      imports: [terminus.TerminusModule.forRoot({ logger: false })],
      providers: [{ provide: SNAIL_HEALTH_CHECK, useExisting: terminus.HealthCheckService }],
      exports: [SNAIL_HEALTH_CHECK],
    })),
  );
}
