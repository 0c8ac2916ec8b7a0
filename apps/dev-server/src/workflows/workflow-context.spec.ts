import { describe, expect, it } from 'vitest';
import { mergeContext } from './workflow-context.js';

describe('workflow context merge (docs/protocol.md §5.10)', () => {
  it('merges key by key, later wins, nulls ignored, blank counts as {}', () => {
    expect(mergeContext('{"a":1,"b":2}', '{"b":3,"c":null}', undefined, '', '{"d":4}')).toBe(
      '{"a":1,"b":3,"d":4}',
    );
    expect(mergeContext('', '{"x":"y"}')).toBe('{"x":"y"}');
  });

  it('keeps long integers exact', () => {
    expect(mergeContext('{}', '{"id":9007199254740993}')).toBe('{"id":9007199254740993}');
  });
});
