import { describe, expect, it } from 'vitest';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import { LogBacklog } from './log-backlog.js';
import { TaskLog, type LogEntry } from './task-log.js';

const task = new TaskLog({} as DispatchJobRequest, 'x', 'X#run', false, { append: () => undefined });
const entry = (message: string, throwable?: string): LogEntry => ({
  task,
  time: 1,
  level: 'INFO',
  message,
  throwable,
  location: 'X#run',
});
const drain = (b: LogBacklog) => {
  const out: string[] = [];
  for (let e = b.shift(); e; e = b.shift()) out.push(e.message);
  return out;
};

describe('LogBacklog', () => {
  it('drops the oldest beyond its entry cap and reports how many', () => {
    const b = new LogBacklog(3, 1_000);
    expect(['a', 'b', 'c', 'd', 'e'].map((m) => b.push(entry(m)))).toEqual([0, 0, 0, 1, 1]);
    expect(drain(b)).toEqual(['c', 'd', 'e']);
  });

  it('drops the oldest beyond its text budget, counting throwables, keeping the newest', () => {
    const b = new LogBacklog(100, 10);
    expect(b.push(entry('aaaa'))).toBe(0);
    expect(b.push(entry('bb', 'cccc'))).toBe(0);
    expect(b.push(entry('dddd'))).toBe(1);
    expect(b.push(entry('x'.repeat(50)))).toBe(2);
    expect(drain(b)).toEqual(['x'.repeat(50)]);
  });

  it('tracks due entries at the head through sends and drops', () => {
    const b = new LogBacklog(4, 1_000);
    b.push(entry('a'));
    b.push(entry('b'));
    b.markAllDue();
    b.push(entry('c'));
    expect(b.due).toBe(2);
    b.shift();
    expect(b.due).toBe(1);
    b.push(entry('d'));
    b.push(entry('e'));
    b.push(entry('f')); // evicts b, the last due one
    expect(b.due).toBe(0);
  });

  it('puts failed entries back at the head in order, due, refusing what no longer fits', () => {
    const b = new LogBacklog(4, 1_000);
    b.push(entry('c'));
    b.push(entry('d'));
    b.push(entry('e'));
    expect(b.requeue([entry('a'), entry('b')])).toBe(1);
    expect(b.due).toBe(1);
    expect(drain(b)).toEqual(['b', 'c', 'd', 'e']);
    expect(b.clear()).toBe(0);
  });
});
