import { Inject, Injectable, Logger, ServiceUnavailableException, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthCheckService } from '@nestjs/terminus';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { addGetRoute, type RouteReply } from '../http/http-route.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { ROUTE_MAPPED } from '../snail-job.messages.js';
import { SnailJobHealthIndicator } from './snail-job.health-indicator.js';

const NO_CACHE = { 'Cache-Control': 'no-cache, no-store, must-revalidate' };

/**
 * Serves `GET <health path>` (default `/health`) with Terminus's standard body: 200 `{status: 'ok', …}` or 503
 * `{status: 'error' | 'shutting_down', …}`. The path comes from the resolved options, so it works with
 * `forRootAsync`; `health: false` or an app without an HTTP server means no route.
 */
@Injectable()
export class SnailJobHealthRoute implements OnModuleInit {
  private readonly logger = new Logger('SnailJob');

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly health: HealthCheckService,
    private readonly indicator: SnailJobHealthIndicator,
  ) {}

  onModuleInit(): void {
    const path = this.options.health;
    if (path === false) return;
    if (addGetRoute(this.adapterHost, path, () => this.check())) {
      this.logger.log(ROUTE_MAPPED('Health check', path));
    }
  }

  /** Runs the check the way a `@HealthCheck()` controller would. */
  async check(): Promise<RouteReply> {
    try {
      const body = await this.health.check([() => this.indicator.isHealthy()]);
      return { status: 200, body, headers: NO_CACHE };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      return { status: 503, body: error.getResponse(), headers: NO_CACHE };
    }
  }
}
