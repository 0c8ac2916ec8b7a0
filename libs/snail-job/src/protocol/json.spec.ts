import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from './json.js';

describe('lossless JSON', () => {
  it('keeps ids beyond 2^53 exact through parse and stringify', () => {
    const text =
      '[{"jobId":9223372036854775807,"taskId":9007199254740993,"small":42,"neg":-9007199254740995}]';
    const parsed = parseJson(text) as Record<string, unknown>[];
    expect(parsed[0].jobId).toBe(9223372036854775807n);
    expect(parsed[0].taskId).toBe(9007199254740993n);
    expect(parsed[0].small).toBe(42);
    expect(parsed[0].neg).toBe(-9007199254740995n);
    expect(stringifyJson(parsed)).toBe(text);
  });

  it('leaves long digit runs inside strings alone', () => {
    const text = '{"jobBizId":"1948123456789012345","n":1.5e3,"s":"a\\"b\\\\"}';
    expect(parseJson(text)).toEqual({ jobBizId: '1948123456789012345', n: 1500, s: 'a"b\\' });
  });

  it('parses the same values as JSON.parse on the slow path', () => {
    const doc = {
      a: [1, -2.5, 0, true, false, null, 'x\u00e9\n', { b: [] }, {}],
      big: '12345678901234567890',
      u: 'é€😀',
    };
    const text = JSON.stringify(doc) + ' ';
    // force the lossless parser by adding a long integer
    const withLong = `{"doc":${text},"id":12345678901234567890}`;
    const parsed = parseJson(withLong) as { doc: unknown; id: bigint };
    expect(parsed.doc).toEqual(doc);
    expect(parsed.id).toBe(12345678901234567890n);
  });

  it('rejects malformed JSON on both paths', () => {
    for (const bad of ['{', '[1,]', '{"a":1}x', 'tru', '{"a" 1}', '[12345678901234567890,', '"abc']) {
      expect(() => parseJson(bad), bad).toThrow(SyntaxError);
    }
  });

  it('bounds nesting depth on the lossless path instead of overflowing the stack', () => {
    const deep = '['.repeat(5000) + '12345678901234567890' + ']'.repeat(5000);
    expect(() => parseJson(deep)).toThrow(/nesting too deep/);
  });

  it('does not let __proto__ keys pollute prototypes', () => {
    const v = parseJson('{"__proto__":{"polluted":1},"id":12345678901234567890}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toContain('__proto__');
  });

  it('finds long integers in every value position, with or without whitespace', () => {
    expect(parseJson('12345678901234567890')).toBe(12345678901234567890n);
    expect(parseJson(' -12345678901234567890 ')).toBe(-12345678901234567890n);
    expect(parseJson('[1, 12345678901234567890]')).toEqual([1, 12345678901234567890n]);
    expect(parseJson('{"a":\n\t12345678901234567890}')).toEqual({ a: 12345678901234567890n });
    expect(parseJson('[ 12345678901234567890 ]')).toEqual([12345678901234567890n]);
  });

  it('parses strings that merely look like long integers the same on either path', () => {
    for (const text of [
      '{"argsStr":"{\\"maps\\":12345678901234567890}","id":1}',
      '["a:12345678901234567890", ",9007199254740993"]',
      '{"jobBizId":"1948123456789012345","taskId":9007199254740993}',
    ]) {
      const parsed = parseJson(text);
      expect(stringifyJson(parsed), text).toBe(text.replace(/\s/g, ''));
    }
  });

  it('writes bigints nested anywhere, and rethrows what JSON.stringify refuses for other reasons', () => {
    expect(stringifyJson({ a: [1n, { b: 9007199254740993n }], c: 'x' })).toBe(
      '{"a":[1,{"b":9007199254740993}],"c":"x"}',
    );
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => stringifyJson(circular)).toThrow(/circular/);
  });

  it('stringifies undefined as null text', () => {
    expect(stringifyJson(undefined)).toBe('null');
  });
});
