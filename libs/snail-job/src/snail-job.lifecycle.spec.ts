import { describe, expect, it } from 'vitest';
import { resolveOptions } from './config/resolve-options.js';
import { shutdownBudgetMs, shutdownFlushMs } from './snail-job.lifecycle.js';

describe('shutdown budget', () => {
  it('ends a SIGTERM shutdown with a running task within 25 s with default options', () => {
    // Kubernetes kills a pod 30 s after SIGTERM by default; 25 s leaves room for the app's own hooks.
    const { shutdownGraceMs } = resolveOptions({}, {});
    expect(shutdownBudgetMs(shutdownGraceMs)).toBeLessThanOrEqual(25_000);
  });

  it('flushes for at least 1 s and at most 5 s', () => {
    expect(shutdownFlushMs(0)).toBe(1_000);
    expect(shutdownFlushMs(3_000)).toBe(3_000);
    expect(shutdownFlushMs(60_000)).toBe(5_000);
    expect(shutdownBudgetMs(60_000)).toBe(67_000);
  });
});
