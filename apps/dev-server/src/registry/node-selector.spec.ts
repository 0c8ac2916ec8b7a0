import { describe, expect, it } from 'vitest';
import type { NodeRecord } from './node.model.js';
import { NodeSelector } from './node-selector.service.js';
import type { NodeRegistry } from './node.registry.js';

const node = (hostId: string) => ({ hostId }) as NodeRecord;

describe('node selection (docs/protocol.md §5.3)', () => {
  const selector = new NodeSelector({} as NodeRegistry);
  const nodes = [node('a'), node('b'), node('c')];

  it('ROUND starts at counter 1 per allocKey', () => {
    expect([1, 2, 3, 4].map(() => selector.pick(4, 'job-1', nodes)!.hostId)).toEqual(['b', 'c', 'a', 'b']);
    expect(selector.pick(4, 'job-2', nodes)!.hostId).toBe('b');
  });

  it('FIRST, LRU and LAST', () => {
    expect(selector.pick(5, 'k', nodes)!.hostId).toBe('a');
    expect(selector.pick(3, 'k', nodes)!.hostId).toBe('a');
    expect(selector.pick(6, 'k', nodes)!.hostId).toBe('c');
  });

  it('CONSISTENT_HASH is sticky per key; RANDOM stays in the set', () => {
    const first = selector.pick(1, 'job-9', nodes)!.hostId;
    expect(selector.pick(1, 'job-9', [...nodes].reverse())!.hostId).toBe(first);
    expect(nodes.map((n) => n.hostId)).toContain(selector.pick(2, 'k', nodes)!.hostId);
    expect(selector.pick(4, 'k', [])).toBeUndefined();
  });
});
