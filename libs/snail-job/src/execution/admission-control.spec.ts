import { describe, expect, it } from 'vitest';
import { AdmissionControl } from './admission-control.js';
import { LinkedQueue } from '../common/linked-queue.js';

const noCaps = { others: undefined, byExecutor: {} };

describe('AdmissionControl', () => {
  it('grants at once below the global cap, then queues FIFO and grants on release', () => {
    const ac = new AdmissionControl(2, noCaps);
    const started: string[] = [];
    expect(ac.acquire('a', () => started.push('a1'))).toBeUndefined();
    expect(ac.acquire('a', () => started.push('a2'))).toBeUndefined();
    expect(ac.acquire('a', () => started.push('a3'))).toBeDefined();
    expect(ac.acquire('b', () => started.push('b1'))).toBeDefined();
    expect([ac.running, ac.waiting]).toEqual([2, 2]);
    ac.release('a');
    expect(started).toEqual(['a3']);
    ac.release('a');
    expect(started).toEqual(['a3', 'b1']);
    expect([ac.running, ac.waiting]).toEqual([2, 0]);
  });

  it('caps one executor without holding back the others', () => {
    const ac = new AdmissionControl(10, { others: undefined, byExecutor: { slow: 1 } });
    const started: string[] = [];
    expect(ac.acquire('slow', () => started.push('s1'))).toBeUndefined();
    expect(ac.acquire('slow', () => started.push('s2'))).toBeDefined();
    expect(ac.wouldGrant('slow')).toBe(false);
    expect(ac.wouldGrant('fast')).toBe(true);
    expect(ac.acquire('fast', () => started.push('f1'))).toBeUndefined();
    ac.release('fast');
    expect(started).toEqual([]);
    ac.release('slow');
    expect(started).toEqual(['s2']);
  });

  it('applies the "*" cap to executors not named, and takes turns between executors', () => {
    const ac = new AdmissionControl(1, { others: 5, byExecutor: {} });
    expect(ac.limitOf('x')).toBe(5);
    const started: string[] = [];
    ac.acquire('a', () => started.push('a0'));
    ac.acquire('a', () => started.push('a1'));
    ac.acquire('a', () => started.push('a2'));
    ac.acquire('b', () => started.push('b1'));
    for (let i = 0; i < 3; i++) ac.release(started.at(-1)?.[0] ?? 'a');
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it('forgets a cancelled request', () => {
    const ac = new AdmissionControl(1, noCaps);
    const started: string[] = [];
    ac.acquire('a', () => started.push('a1'));
    const ticket = ac.acquire('a', () => started.push('a2'))!;
    ac.acquire('a', () => started.push('a3'));
    ac.cancel(ticket);
    ac.cancel(ticket);
    expect(ac.waiting).toBe(1);
    ac.release('a');
    expect(started).toEqual(['a3']);
  });
});

describe('LinkedQueue', () => {
  it('pushes, shifts and removes in O(1)', () => {
    const q = new LinkedQueue<number>();
    const nodes = [1, 2, 3, 4].map((n) => q.push(n));
    q.remove(nodes[1]);
    q.remove(nodes[1]);
    expect(q.values()).toEqual([1, 3, 4]);
    expect(q.shift()).toBe(1);
    q.remove(nodes[3]);
    expect(q.values()).toEqual([3]);
    expect(q.size).toBe(1);
    expect(q.shift()).toBe(3);
    expect(q.shift()).toBeUndefined();
    q.unshift(7);
    q.push(8);
    q.unshift(6);
    expect(q.values()).toEqual([6, 7, 8]);
  });
});
