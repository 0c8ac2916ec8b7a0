import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import type { DispatchJobResultRequest } from '../protocol/payloads.js';
import { ResultOutbox } from './outbox.js';

function report(taskId: number | bigint): DispatchJobResultRequest {
  return {
    jobId: 1,
    taskBatchId: 2,
    taskId,
    taskType: 1,
    groupName: 'g',
    taskStatus: 3,
    executeResult: { status: 1, message: 'ok' },
    retryStatus: false,
    retry: false,
  };
}

describe('ResultOutbox', () => {
  let dir: string;
  const outbox = () => new ResultOutbox(resolveOptions({ outboxDir: dir, group: 'orders' }, {}));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sj-outbox-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is off without outboxDir', () => {
    const off = new ResultOutbox(resolveOptions({}, {}));
    expect(off.open()).toEqual([]);
    expect(off.enabled).toBe(false);
    expect(off.append(report(1))).toBeUndefined();
  });

  it('hands back unacknowledged reports at the next open, in order, ids above 2^53 intact', () => {
    const first = outbox();
    expect(first.open()).toEqual([]);
    const a = first.append(report(1));
    const b = first.append(report(9007199254740993n));
    const c = first.append(report(3));
    first.ack(a);
    // The process dies here: no close().
    const second = outbox();
    const left = second.open();
    expect(left.map((r) => r.report.taskId)).toEqual([9007199254740993n, 3]);
    expect(left.map((r) => r.id)).toEqual([b, c]);
    // Compacted at open: only the two pending adds remain.
    expect(fs.readFileSync(second.path, 'utf8').trim().split('\n')).toHaveLength(2);
    second.ack(b);
    second.ack(c);
    expect(fs.readFileSync(second.path, 'utf8')).toBe('');
    expect(second.append(report(4))).toBeGreaterThan(c!);
    expect(second.close()).toBe(1);
    expect(
      outbox()
        .open()
        .map((r) => r.report.taskId),
    ).toEqual([4]);
  });

  it('skips a line cut short by a crash', () => {
    const first = outbox();
    first.open();
    first.append(report(1));
    fs.appendFileSync(first.path, '{"add":2,"at":1,"rep');
    const left = outbox().open();
    expect(left.map((r) => r.report.taskId)).toEqual([1]);
  });

  it('refuses a directory locked by another live process, and takes over a stale lock', () => {
    fs.writeFileSync(path.join(dir, 'results-orders.lock'), String(process.ppid));
    expect(() => outbox().open()).toThrow(/in use by the running process/);
    fs.writeFileSync(path.join(dir, 'results-orders.lock'), '999999999');
    const box = outbox();
    expect(box.open()).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'results-orders.lock'), 'utf8')).toBe(String(process.pid));
    box.close();
    expect(fs.existsSync(path.join(dir, 'results-orders.lock'))).toBe(false);
  });

  it('names the directory when it cannot be created', () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    const box = new ResultOutbox(resolveOptions({ outboxDir: path.join(file, 'sub') }, {}));
    expect(() => box.open()).toThrow(
      /outbox directory ".*a-file\/sub" \(outboxDir, env SNAIL_OUTBOX_DIR\) cannot be used/,
    );
  });

  it('compacts when acknowledged lines dominate', () => {
    const box = outbox();
    box.open();
    const keep = box.append(report(0));
    for (let i = 1; i <= 6_000; i++) box.ack(box.append(report(i)));
    const lines = fs.readFileSync(box.path, 'utf8').trim().split('\n').length;
    expect(lines).toBeLessThan(3_000);
    box.close();
    expect(
      outbox()
        .open()
        .map((r) => r.id),
    ).toEqual([keep]);
  });
});
