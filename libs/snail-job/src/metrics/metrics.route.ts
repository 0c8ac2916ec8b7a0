import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { addGetRoute } from '../http/http-route.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { ROUTE_MAPPED } from '../snail-job.messages.js';
import { scrapeMetrics, startNodeDefaultMetrics } from './prometheus-scrape.js';

/**
 * Serves `GET <metrics path>` (default `/actuator/prometheus`) in the Prometheus text format. `metrics: false` or
 * an app without an HTTP server means no route; the metrics are still recorded in prom-client's default
 * registry, so an endpoint of the app's own (e.g. `PrometheusModule`) shows them.
 */
@Injectable()
export class SnailJobMetricsRoute implements OnModuleInit {
  private readonly logger = new Logger('SnailJob');

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const path = this.options.metrics;
    if (path === false) return;
    const mapped = addGetRoute(this.adapterHost, path, async () => {
      const { contentType, text } = await scrapeMetrics();
      return { status: 200, body: text, headers: { 'Content-Type': contentType } };
    });
    if (!mapped) return;
    startNodeDefaultMetrics();
    this.logger.log(ROUTE_MAPPED('Prometheus metrics', path));
  }
}
