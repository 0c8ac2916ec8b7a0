import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import type { SnailJobModuleOptions } from '../config/snail-job-options.interface.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import type { WireResult } from '../protocol/proto-descriptor.js';
import { ClientIdentity } from '../transport/client-identity.js';
import type { ServerChannel } from '../transport/server-channel.js';
import { LogReporter } from './log-reporter.js';

const request = {
  namespaceId: 'ns',
  groupName: 'g',
  jobId: 1,
  taskBatchId: 2,
  taskId: 3,
} as DispatchJobRequest;
const handler = { className: 'Jobs', methodName: 'work' };

/** Records each request body; answers with whatever `reply` says. */
class RecordingChannel {
  readonly bodies: unknown[][] = [];
  reply: () => Promise<WireResult> = () =>
    Promise.resolve({ reqId: '1', status: 1, message: '', data: 'true' });
  callWithBody(_uri: string, body: string): Promise<WireResult> {
    this.bodies.push((JSON.parse(body) as unknown[][])[0]);
    return this.reply();
  }
}

describe('LogReporter', () => {
  let channel: RecordingChannel;
  let reporter: LogReporter;

  function start(options: SnailJobModuleOptions): void {
    channel = new RecordingChannel();
    reporter = new LogReporter(
      resolveOptions({ client: { host: '127.0.0.1' }, ...options }, {}),
      channel as unknown as ServerChannel,
      new ClientIdentity(),
      new SnailJobInstrumentation(),
    );
  }

  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    reporter.close();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('sends a full batch at once and a partial one after logFlushIntervalMs', async () => {
    start({ logBatchSize: 3, logFlushIntervalMs: 1_000 });
    const log = reporter.openTask(request, 'work', handler);
    for (let i = 0; i < 4; i++) log.write('INFO', `line ${i}`);
    await vi.advanceTimersByTimeAsync(10);
    expect(channel.bodies.map((b) => b.length)).toEqual([3]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(channel.bodies.map((b) => b.length)).toEqual([3, 1]);
    expect(reporter.stats()).toMatchObject({ sent: 4, dropped: 0, queued: 0 });
  });

  it('keeps a refused batch and sends it again, in order, once the server takes it', async () => {
    start({ logBatchSize: 2 });
    let refusals = 2;
    channel.reply = () =>
      Promise.resolve(
        refusals-- > 0
          ? { reqId: '1', status: 0, message: 'busy', data: 'null' }
          : { reqId: '1', status: 1, message: '', data: 'true' },
      );
    const log = reporter.openTask(request, 'work', handler);
    log.write('INFO', 'first');
    log.write('INFO', 'second');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(channel.bodies).toHaveLength(3);
    expect(reporter.stats()).toMatchObject({ sent: 2, dropped: 0, queued: 0 });
  });

  it('drops the oldest entries past logQueueMax and counts them', async () => {
    start({ logBatchSize: 1_000, logQueueMax: 5, logFlushIntervalMs: 60_000 });
    const log = reporter.openTask(request, 'work', handler);
    for (let i = 0; i < 8; i++) log.write('INFO', `line ${i}`);
    expect(reporter.stats()).toMatchObject({ dropped: 3, queued: 5 });
    expect(await reporter.flush(1_000)).toBe(true);
    expect(channel.bodies.flat()).toHaveLength(5);
  });
});
