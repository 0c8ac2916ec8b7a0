import { collectDefaultMetrics, register, Registry } from 'prom-client';

/** A default metric whose presence shows that prom-client's default registry already collects Node defaults. */
const DEFAULT_METRIC_PROBE = 'process_cpu_user_seconds_total';

let nodeDefaults: Registry | undefined;

/**
 * Starts Node's default metrics (process_*, nodejs_*) once per process, in a registry of our own: the global
 * registry stays free for an app that calls `PrometheusModule.register()` or `collectDefaultMetrics()` itself,
 * even after us (both throw "already registered" on a second collection there).
 */
export function startNodeDefaultMetrics(): void {
  if (nodeDefaults) return;
  nodeDefaults = new Registry();
  collectDefaultMetrics({ register: nodeDefaults });
}

/**
 * The exposition text of prom-client's default registry (SnailJob metrics, the app's own ones) followed by
 * our Node default metrics, unless the default registry collects its own.
 */
export async function scrapeMetrics(): Promise<{ contentType: string; text: string }> {
  const contentType = register.contentType;
  const text = await register.metrics();
  const appendDefaults =
    nodeDefaults !== undefined &&
    nodeDefaults.contentType === contentType &&
    register.getSingleMetric(DEFAULT_METRIC_PROBE) === undefined;
  return { contentType, text: appendDefaults ? text + (await nodeDefaults!.metrics()) : text };
}
