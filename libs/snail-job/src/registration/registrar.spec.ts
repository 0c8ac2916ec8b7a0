import { createServer, type AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { assessHealth } from '../health/client-health.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { FAIL_FAST } from '../snail-job.messages.js';
import { ClientIdentity } from '../transport/client-identity.js';
import { ServerChannel } from '../transport/server-channel.js';
import { Registrar } from './registrar.js';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Registrar against an unreachable server', () => {
  let channel: ServerChannel;
  let registrar: Registrar;
  const lines: { level: string; text: string }[] = [];

  beforeEach(async () => {
    lines.length = 0;
    for (const level of ['log', 'error', 'warn', 'debug', 'verbose'] as const) {
      vi.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => {
        lines.push({ level, text: String(message) });
      });
    }
    const options = resolveOptions(
      { server: { host: '127.0.0.1', port: await closedPort() }, requestTimeoutMs: 2_000 },
      {},
    );
    const instrumentation = new SnailJobInstrumentation();
    channel = new ServerChannel(options, new ClientIdentity(), instrumentation);
    registrar = new Registrar(options, channel, new ExecutorRegistry(), instrumentation);
  });

  afterEach(() => {
    registrar.stop();
    channel.close();
    vi.restoreAllMocks();
  });

  it('logs one line for the whole outage, however many beats fail', async () => {
    for (let i = 0; i < 4; i++) expect(await registrar.beat()).toBe(false);
    expect(lines.map((l) => l.level)).toEqual(['error']);
    expect(lines[0].text).toContain('SnailJob server unreachable at 127.0.0.1:');
    expect(lines[0].text).toContain('This is logged once per outage.');
  });

  it('never shows an empty "Resolution note" in the ERROR line, in health or in the failFast error', async () => {
    await registrar.beat();
    const reason = registrar.state.lastError!;
    const health = assessHealth({
      serving: true,
      registration: registrar.state,
      now: Date.now(),
      expiryMs: 1,
    });
    const texts = [lines[0].text, reason, health.up ? '' : health.reason, FAIL_FAST(reason)];
    for (const text of texts) {
      expect(text).not.toMatch(/Resolution note:\s*[.)]?\s*$/m);
      expect(text).not.toMatch(/Resolution note:\s*[.)]/);
      expect(text).not.toMatch(/\.\./);
    }
    expect(reason).toMatch(/ECONNREFUSED|No connection established/);
  });
});
