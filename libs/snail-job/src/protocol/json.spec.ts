import fc from 'fast-check';
import { parse as losslessParse, stringify as losslessStringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { JsonNestingError, MAX_JSON_DEPTH, parseJson, stringifyJson } from './json.js';

/** lossless-json's numbers the way ours are: integers beyond 2^53 - 1 as bigint, everything else a number. */
function referenceNumber(literal: string): number | bigint {
  if (/^-?\d+$/.test(literal)) {
    const n = Number(literal);
    return Number.isSafeInteger(n) ? n : BigInt(literal);
  }
  return Number(literal);
}

/** Strings that include the texts a placeholder-based writer would have used, and JSON's own delimiters. */
const trickyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  // Exactly what the old writer's placeholder for a bigint looked like.
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((b) => `~#sjbig#~${b}~#sjbig#~`),
  fc
    .array(
      fc.constantFrom(
        '~#sjbig#~',
        '1',
        '"',
        '\\',
        ':',
        ',',
        '{',
        '}',
        '[',
        ']',
        '\u2028',
        'é',
        '😀',
        '\n',
        ' ',
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join('')),
);
const longInteger = fc.oneof(
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.constantFrom(2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 10n ** 30n),
);
/** JSON values as the codec holds them: bigints only where a number would be inexact. */
const jsonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.integer(),
    longInteger.map((b) => (Number.isSafeInteger(Number(b)) ? Number(b) : b)),
    trickyString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .array(fc.tuple(trickyString, tie('value')), { maxLength: 5 })
      .map((entries) => Object.fromEntries(entries.filter(([k]) => k !== '__proto__'))),
  ),
})).value;

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

  it('writes a bigint beside a string that holds the old placeholder text exactly (as a value and as a key)', () => {
    expect(stringifyJson({ s: '~#sjbig#~1~#sjbig#~', id: 2n ** 60n })).toBe(
      '{"s":"~#sjbig#~1~#sjbig#~","id":1152921504606846976}',
    );
    const asKey = stringifyJson({ '~#sjbig#~1~#sjbig#~': 'v', id: 2n ** 60n });
    expect(asKey).toBe('{"~#sjbig#~1~#sjbig#~":"v","id":1152921504606846976}');
    expect(parseJson(asKey)).toEqual({ '~#sjbig#~1~#sjbig#~': 'v', id: 2n ** 60n });
  });

  it('writes what lossless-json writes, for any value and any string (property)', () => {
    fc.assert(
      fc.property(jsonValue, longInteger, (value, big) => {
        for (const v of [value, { value, big }, [big, value]])
          expect(stringifyJson(v)).toBe(losslessStringify(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads what lossless-json reads, on both paths (property)', () => {
    fc.assert(
      fc.property(jsonValue, fc.constantFrom('', ' ', '\n\t '), (value, space) => {
        const text = losslessStringify(value, null, space) as string;
        expect(parseJson(text)).toEqual(losslessParse(text, null, referenceNumber));
        const slow = `[${text},12345678901234567890]`;
        expect(parseJson(slow)).toEqual(losslessParse(slow, null, referenceNumber));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes values with a bigint exactly as JSON.stringify writes the rest (toJSON, undefined, NaN, boxed values)', () => {
    const odd = {
      date: new Date(0),
      u: undefined,
      f: () => 1,
      nan: NaN,
      inf: -Infinity,
      negZero: -0,
      boxed: [Object(1), Object('s'), Object(false)],
      holes: [undefined, () => 1, Symbol('x')],
      custom: { toJSON: (key: string) => `key:${key}` },
      nested: { toJSON: () => ({ deeper: [1, { toJSON: () => 'x' }] }) },
    };
    const withBig = stringifyJson({ ...odd, big: 2n ** 64n, boxedBig: Object(2n ** 64n) });
    expect(withBig).toBe(
      `${JSON.stringify(odd).slice(0, -1)},"big":18446744073709551616,"boxedBig":18446744073709551616}`,
    );
    expect(stringifyJson([1n, undefined])).toBe('[1,null]');
    expect(stringifyJson(Object.assign(Object.create({ inherited: 1 }), { own: 1n }))).toBe('{"own":1}');
  });

  it('applies one nesting limit to every document, with or without long integers, and says so', () => {
    const nested = (levels: number, inner: string) => '['.repeat(levels) + inner + ']'.repeat(levels);
    for (const inner of ['', '1', '12345678901234567890']) {
      expect(() => parseJson(nested(MAX_JSON_DEPTH, inner)), `${inner} at the limit`).not.toThrow();
      expect(() => parseJson(nested(MAX_JSON_DEPTH + 1, inner)), inner).toThrow(JsonNestingError);
    }
    const objects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    expect(() => parseJson(objects(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseJson(objects(MAX_JSON_DEPTH + 1))).toThrow(/nesting too deep \(more than 1000 levels/);
    // Brackets inside strings are text, not nesting.
    expect(parseJson(JSON.stringify(['['.repeat(5000), '\\"[['.repeat(900)]))).toHaveLength(2);
  });

  it('refuses to write a value nested deeper than the limit, with or without a bigint', () => {
    const deep = (levels: number, inner: unknown): unknown => {
      let v = inner;
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    expect(() => stringifyJson(deep(MAX_JSON_DEPTH, 1n))).not.toThrow();
    expect(() => stringifyJson(deep(MAX_JSON_DEPTH, 1))).not.toThrow();
    expect(() => stringifyJson(deep(MAX_JSON_DEPTH + 1, 1n))).toThrow(JsonNestingError);
    expect(() => stringifyJson(deep(MAX_JSON_DEPTH + 1, 1))).toThrow(JsonNestingError);
  });

  it('names what was too deep', () => {
    expect(new JsonNestingError().of('argsStr').message).toBe(
      'argsStr: nesting too deep (more than 1000 levels of arrays/objects)',
    );
  });
});
