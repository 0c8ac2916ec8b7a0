import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './log-queue.js';

function drain<T>(q: BoundedQueue<T>): T[] {
  const out: T[] = [];
  for (let v = q.shift(); v !== undefined; v = q.shift()) out.push(v);
  return out;
}

describe('BoundedQueue', () => {
  it('is FIFO and grows past its initial storage', () => {
    const q = new BoundedQueue<number>(1_000);
    for (let i = 0; i < 100; i++) q.push(i);
    expect(q.length).toBe(100);
    expect(q.peek()).toBe(0);
    expect(drain(q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(q.shift()).toBeUndefined();
  });

  it('evicts and returns the oldest item when full', () => {
    const q = new BoundedQueue<number>(3);
    expect([q.push(1), q.push(2), q.push(3)]).toEqual([undefined, undefined, undefined]);
    expect(q.push(4)).toBe(1);
    expect(q.push(5)).toBe(2);
    expect(drain(q)).toEqual([3, 4, 5]);
  });

  it('puts items back at the head, refusing when full', () => {
    const q = new BoundedQueue<string>(4);
    q.push('c');
    q.push('d');
    expect(q.unshift('b')).toBe(true);
    expect(q.unshift('a')).toBe(true);
    expect(q.unshift('z')).toBe(false);
    expect(drain(q)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps order across wrap-around and growth', () => {
    const q = new BoundedQueue<number>(1_000);
    const expected: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) {
        q.push(next);
        expected.push(next++);
      }
      for (let i = 0; i < 5; i++) expect(q.shift()).toBe(expected.shift());
      if (round % 3 === 0) {
        const head = q.shift()!;
        expect(q.unshift(head)).toBe(true);
      }
    }
    expect(drain(q)).toEqual(expected);
  });

  it('clears and rejects a capacity below 1', () => {
    const q = new BoundedQueue<number>(2);
    q.push(1);
    expect(q.clear()).toBe(1);
    expect(q.length).toBe(0);
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
