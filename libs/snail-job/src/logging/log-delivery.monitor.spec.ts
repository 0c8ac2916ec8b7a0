import { Logger, type LoggerService } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { LogDeliveryMonitor } from './log-delivery.monitor.js';

class Recorder implements LoggerService {
  readonly lines: string[] = [];
  log(message: string) {
    this.lines.push(`log ${message}`);
  }
  warn(message: string) {
    this.lines.push(`warn ${message}`);
  }
  error(message: string) {
    this.lines.push(`error ${message}`);
  }
}

class CountingInstrumentation extends SnailJobInstrumentation {
  readonly calls: [number, number][] = [];
  override logEntries(sent: number, dropped: number): void {
    this.calls.push([sent, dropped]);
  }
}

function setup() {
  const recorder = new Recorder();
  Logger.overrideLogger(recorder);
  const instrumentation = new CountingInstrumentation();
  return { recorder, instrumentation, monitor: new LogDeliveryMonitor(instrumentation, 100) };
}

describe('LogDeliveryMonitor', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('counts and reports every delivery and drop to instrumentation', () => {
    const { monitor, instrumentation } = setup();
    monitor.delivered(50, true);
    monitor.lost(3, false);
    expect([monitor.sent, monitor.dropped]).toEqual([50, 3]);
    expect(instrumentation.calls).toEqual([
      [50, 0],
      [0, 3],
    ]);
  });

  it('warns once per outage, not about the drops during it, and tells when delivery is back', () => {
    const { monitor, recorder } = setup();
    monitor.failed('UNAVAILABLE: connection refused', 10);
    monitor.failed('UNAVAILABLE: connection refused', 20);
    monitor.lost(5, true);
    monitor.lost(5, true);
    monitor.delivered(50, false);
    expect(recorder.lines).toHaveLength(2);
    expect(recorder.lines[0]).toMatch(/^warn Could not deliver remote log entries \(UNAVAILABLE/);
    expect(recorder.lines[1]).toBe('log Remote log delivery resumed; 10 entries were dropped meanwhile.');
    monitor.failed('again', 1);
    expect(recorder.lines).toHaveLength(3);
  });

  it('warns once when a burst outruns the queue, and tells when it caught up', () => {
    const { monitor, recorder } = setup();
    monitor.lost(1, true);
    monitor.lost(1, true);
    monitor.delivered(10, false);
    monitor.delivered(10, true);
    expect(recorder.lines).toEqual([
      expect.stringMatching(/^warn Remote log queue is full \(100 entries/),
      'log Remote log delivery resumed; 2 entries were dropped meanwhile.',
    ]);
  });

  it('says a given thing once', () => {
    const { monitor, recorder } = setup();
    monitor.once('entry', 'too large');
    monitor.once('entry', 'too large');
    monitor.undelivered(4);
    expect(recorder.lines).toEqual([
      'warn too large',
      'warn 4 remote log entries were not delivered before shutdown.',
    ]);
  });
});
