import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabels } from './labels.js';

describe('label matching (docs/protocol.md §8.4)', () => {
  it('lets a node without labels match every job', () => {
    expect(matchesLabels({}, { zone: 'a' })).toBe(true);
  });

  it('requires every job label and state=up on a labelled node', () => {
    expect(matchesLabels({ state: 'up', zone: 'a' }, { zone: 'a' })).toBe(true);
    expect(matchesLabels({ state: 'up', zone: 'b' }, { zone: 'a' })).toBe(false);
    expect(matchesLabels({ zone: 'a' }, { zone: 'a' })).toBe(false);
    expect(matchesLabels({ state: 'down' }, {})).toBe(false);
    expect(matchesLabels({ state: 'up', zone: 1 }, { zone: '1' })).toBe(false);
  });

  it('parses label JSON', () => {
    expect(parseLabels('{"state":"up"}')).toEqual({ state: 'up' });
    expect(parseLabels(undefined)).toEqual({});
    expect(() => parseLabels('[1]')).toThrow('JSON object');
  });
});
