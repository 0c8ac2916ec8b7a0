import { Controller, Inject, Res, type OnModuleInit, type Type } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import type * as PrometheusScrape from './prometheus-scrape.js';

/** Token of the loaded `prometheus-scrape.js` (which imports prom-client), or null when metrics are off. */
export const SNAIL_PROMETHEUS_SCRAPE = Symbol('snail-job:prometheus-scrape');

/** The prom-client half of the metrics part, loaded only when it is used. */
export type PrometheusScrapeModule = typeof PrometheusScrape;

/** A controller of the metrics route, and the route method {@link declareGetRoute} decorates. */
export interface MetricsControllerClass extends Type<unknown> {
  readonly routeMethod: 'scrape';
}

/**
 * A fresh controller class serving prom-client's default registry (SnailJob metrics, the app's own ones) in
 * the Prometheus text format, plus Node's default metrics once this route is mapped. The route goes through
 * the app's global prefix, versioning, guards, interceptors and filters.
 */
export function createMetricsController(): MetricsControllerClass {
  @Controller()
  class SnailJobMetricsController implements OnModuleInit {
    static readonly routeMethod = 'scrape';

    constructor(
      @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
      @Inject(SNAIL_PROMETHEUS_SCRAPE) private readonly prometheus: PrometheusScrapeModule | null,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    /** Node defaults only for an app that serves this route (not an application context, not `metrics: false`). */
    onModuleInit(): void {
      if (this.options.metrics !== false && this.adapterHost.httpAdapter)
        this.prometheus?.startNodeDefaultMetrics();
    }

    async scrape(@Res({ passthrough: true }) response: unknown): Promise<string> {
      const { contentType, text } = await this.prometheus!.scrapeMetrics();
      this.adapterHost.httpAdapter.setHeader(response, 'Content-Type', contentType);
      return text;
    }
  }
  return SnailJobMetricsController;
}
