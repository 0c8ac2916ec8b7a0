import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_DEFINITIONS } from './snail-job.metrics.js';

const docs = readFileSync(new URL('../../../../docs/health-metrics.md', import.meta.url), 'utf8');

describe('docs/health-metrics.md metrics table', () => {
  it.each(Object.values(METRIC_DEFINITIONS))('documents $name as a $type with its labels', (metric) => {
    const row = docs.split('\n').find((line) => new RegExp(`^\\| \`${metric.name}\` +\\|`).test(line));
    expect(row, `no table row for ${metric.name}`).toBeDefined();
    expect(row).toContain(metric.type);
    for (const label of metric.labelNames) expect(row).toContain(`\`${label}\``);
  });
});
