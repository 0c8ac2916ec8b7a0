import { describe, expect, it } from 'vitest';
import { handledLater, loadOptionalPeer } from './optional-peer.js';

const PART = { part: 'metrics', setting: 'option metrics / SNAIL_PROMETHEUS_PATH' };

describe('loadOptionalPeer', () => {
  it('resolves to what the loader returns', async () => {
    await expect(loadOptionalPeer('x', PART, async () => 42)).resolves.toBe(42);
  });

  it('names the package, the install command and the switch, and keeps the cause', async () => {
    const missing = Object.assign(new Error("Cannot find package 'prom-client'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadOptionalPeer('prom-client', PART, () => Promise.reject(missing)).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toBe(
      "SnailJob metrics is on (option metrics / SNAIL_PROMETHEUS_PATH) and needs the package prom-client: npm install prom-client, or set option metrics / SNAIL_PROMETHEUS_PATH to false to switch it off (Cannot find package 'prom-client')",
    );
    expect((error as Error).cause).toBe(missing);
  });
});

describe('handledLater', () => {
  it('keeps the rejection for whoever awaits it later, without an unhandled rejection now', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const promise = handledLater(Promise.reject(new Error('later')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      await expect(promise).rejects.toThrow('later');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
