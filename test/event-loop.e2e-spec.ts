import { Injectable } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { SnailJob, SnailJobTransport } from 'nestjs-snail-job';
import { SnailJobInstrumentation } from '../libs/snail-job/src/instrument/snail-job-instrumentation.js';
import { clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody } from './support/dispatch.js';
import { LogCapture } from './support/log-capture.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { sleep } from './support/wait.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // CPU-bound on purpose
  }
}

@Injectable()
class CpuJobs {
  @SnailJob('cpuHog')
  hog() {
    busy(400);
    return 'done';
  }
}

describe('event-loop stall detection', () => {
  it('warns with the executor that blocked the loop and counts it through the instrumentation', async () => {
    const server = await new RawServer().start();
    const logs = new LogCapture();
    const app = await startClientApp(clientOptions(server.port, { eventLoopStallMs: 200 }), [CpuJobs], logs);
    const stall = vi.spyOn(app.get(SnailJobInstrumentation), 'eventLoopStall');
    const caller = new RawCaller(app.get(SnailJobTransport).port);

    await caller.call('/job/dispatch/v1', dispatchBody({ executorInfo: 'cpuHog' }));
    await server.waitFor('/report/dispatch/result');
    await sleep(150);
    const lines = logs.find('warn', /Event loop blocked for \d+ ms while these executors ran: cpuHog\./);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('worker threads');
    expect(stall).toHaveBeenCalledTimes(1);
    expect(stall.mock.calls[0][0]).toBe('cpuHog');
    expect(stall.mock.calls[0][1]).toBeGreaterThanOrEqual(300);

    busy(300); // outside any task
    await sleep(150);
    expect(logs.find('warn', /Event loop blocked for \d+ ms \(no task was running\)/)).toHaveLength(1);
    expect(stall).toHaveBeenLastCalledWith('(none)', expect.any(Number));

    caller.close();
    await app.close();
    await server.close();
  });

  it('is off with eventLoopStallMs 0', async () => {
    const server = await new RawServer().start();
    const logs = new LogCapture();
    const app = await startClientApp(clientOptions(server.port, { eventLoopStallMs: 0 }), [CpuJobs], logs);
    busy(300);
    await sleep(150);
    expect(logs.find('warn', /Event loop blocked/)).toHaveLength(0);
    await app.close();
    await server.close();
  });
});
