/**
 * JSON codec for the SnailJob wire. SnailJob ids are Java `long`s; JavaScript numbers are exact only up to
 * 2^53 - 1, so integers beyond that are parsed as `bigint` and written back as plain JSON numbers. Everything
 * else behaves like `JSON.parse` / `JSON.stringify`.
 */

/**
 * An integer literal of 16 or more digits (only those may be unsafe) in a position where JSON allows a value: at
 * the start or after `[`, `:` or `,`. Digit runs inside strings, such as the snowflake `jobBizId` of every dispatch,
 * usually do not match, so ordinary traffic takes the native `JSON.parse` path; a string that happens to look like
 * `:1234567890123456` only costs the slower (still exact) parser.
 */
const LONG_INTEGER_VALUE = /(?:^|[[:,])\s*-?\d{16,}/;
const MAX_DEPTH = 1000;

/** Parses JSON text, keeping integers beyond `Number.MAX_SAFE_INTEGER` exact as `bigint`. */
export function parseJson(text: string): unknown {
  if (!LONG_INTEGER_VALUE.test(text)) return JSON.parse(text) as unknown;
  return new LosslessParser(text).parseDocument();
}

/**
 * `JSON.stringify` that writes `bigint` values as JSON numbers; `undefined` becomes the text `null`. Values without
 * a bigint take the native path; only when `JSON.stringify` refuses a bigint is the value written again with a
 * replacer.
 */
export function stringifyJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value) as string | undefined;
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/.test(error.message)) throw error;
    return stringifyWithBigints(value);
  }
  return text === undefined ? 'null' : text;
}

function stringifyWithBigints(value: unknown): string {
  let sawBigint = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') {
      sawBigint = true;
      return `${BIGINT_MARK}${v.toString()}${BIGINT_MARK}`;
    }
    return v;
  }) as string | undefined;
  if (text === undefined) return 'null';
  return sawBigint ? text.replace(BIGINT_TOKEN, '$1') : text;
}

const BIGINT_MARK = '~#sjbig#~';
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const BIGINT_TOKEN = /"~#sjbig#~(-?\d+)~#sjbig#~"/g;

/** Converts a JSON integer literal to a number, or to a bigint when a number would lose precision. */
function integerValue(literal: string): number | bigint {
  const n = Number(literal);
  return Number.isSafeInteger(n) ? n : BigInt(literal);
}

class LosslessParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.value(0);
    this.ws();
    if (this.pos !== this.text.length) this.fail('unexpected trailing characters');
    return value;
  }

  private fail(what: string): never {
    throw new SyntaxError(`Invalid JSON at position ${this.pos}: ${what}`);
  }

  private ws(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.ws();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected ${word}`);
    this.pos += word.length;
    return value;
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('expected a property name');
      const key = this.string();
      this.ws();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      const v = this.value(depth + 1);
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true });
      else out[key] = v;
      this.ws();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    const start = this.pos;
    const t = this.text;
    let i = start + 1;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) i++;
    }
    if (i >= t.length) this.fail('unterminated string');
    this.pos = i + 1;
    return JSON.parse(t.slice(start, i + 1)) as string;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail('unexpected character');
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) return integerValue(m[0]);
    return Number(m[0]);
  }
}
