import { loadOptionalPeer } from '../common/optional-peer.js';
import type { PrometheusScrapeModule } from './metrics.controller.js';
import type { PrometheusInstrumentation } from './prometheus.instrumentation.js';

/** The part name and setting that the missing-package error names. */
export const METRICS_PART = { part: 'metrics', setting: 'option metrics / SNAIL_PROMETHEUS_PATH' };

/** The files of ours that import prom-client, loaded together. */
export interface PrometheusPart {
  scrape: PrometheusScrapeModule;
  Instrumentation: typeof PrometheusInstrumentation;
}

async function load(): Promise<PrometheusPart> {
  const [scrape, { PrometheusInstrumentation }] = await Promise.all([
    import('./prometheus-scrape.js'),
    import('./prometheus.instrumentation.js'),
  ]);
  return { scrape, Instrumentation: PrometheusInstrumentation };
}

/** Node's "cannot find package prom-client" (ESM and CommonJS spellings). */
function promClientMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((error as Error).message).includes('prom-client')
  );
}

/**
 * Loads the prom-client half of the metrics part. With a metrics route on, a missing prom-client is a start-up
 * error naming the package. With `metrics: false` the metrics are still recorded for an endpoint of the app's
 * own (e.g. `PrometheusModule`) when prom-client is installed, and nothing is recorded when it is not.
 */
export async function loadPrometheus(metrics: string | false): Promise<PrometheusPart | null> {
  if (metrics !== false) return loadOptionalPeer('prom-client', METRICS_PART, load);
  try {
    return await load();
  } catch (error) {
    if (promClientMissing(error)) return null;
    throw error;
  }
}
