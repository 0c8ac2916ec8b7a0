import { describe, expect, it } from 'vitest';
import { argsHolderJson, parseMapReduceArgs, parseShardingArgs, resultText } from './job-args.js';
import { partition } from './map-reduce-phases.service.js';

describe('job args and results', () => {
  it('writes the args holder with absent keys omitted', () => {
    expect(argsHolderJson({ jobParams: 'p', maps: '' })).toBe('{"jobParams":"p","maps":""}');
    expect(argsHolderJson({ jobParams: undefined })).toBe('{}');
    expect(argsHolderJson({ jobParams: 'p', reduces: ['1', '{"a":1}'] })).toBe(
      '{"jobParams":"p","reduces":["1","{\\"a\\":1}"]}',
    );
  });

  it('stringifies results like the server stores them (docs/protocol.md §5.8)', () => {
    expect(resultText('abc')).toBe('abc');
    expect(resultText(5)).toBe('5');
    expect(resultText(1.5)).toBe('1.5');
    expect(resultText({ a: 1, b: [true] })).toBe('{"a":1,"b":[true]}');
    expect(resultText(2n ** 60n)).toBe('1152921504606846976');
    expect(resultText(null)).toBeUndefined();
    expect(resultText(undefined)).toBeUndefined();
  });

  it('reads the MAP_REDUCE wrapper', () => {
    expect(parseMapReduceArgs('{"shardNum":3,"argsStr":"p"}')).toEqual({ shardNum: 3, argsStr: 'p' });
    expect(parseMapReduceArgs('{"shardNum":0}')).toEqual({ shardNum: 1, argsStr: undefined });
    expect(parseMapReduceArgs('"just text"')).toEqual({ shardNum: 1 });
    expect(() => parseMapReduceArgs('not json')).toThrow();
    expect(() => parseMapReduceArgs(undefined)).toThrow();
  });

  it('reads SHARDING args as a JSON array of strings', () => {
    expect(parseShardingArgs('["a","b"]')).toEqual(['a', 'b']);
    expect(parseShardingArgs('[1,"b"]')).toEqual(['1', 'b']);
    expect(parseShardingArgs('[{"a":1}]')).toBeUndefined();
    expect(parseShardingArgs('a,b')).toBeUndefined();
    expect(parseShardingArgs(undefined)).toBeUndefined();
  });

  it('partitions into contiguous chunks, larger first', () => {
    expect(partition([1, 2, 3, 4, 5], 3)).toEqual([[1, 2], [3, 4], [5]]);
    expect(partition([1, 2, 3], 3)).toEqual([[1], [2], [3]]);
    expect(partition([1, 2, 3], 1)).toEqual([[1, 2, 3]]);
  });
});
