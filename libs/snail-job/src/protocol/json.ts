/**
 * JSON codec for the SnailJob wire. SnailJob ids are Java `long`s; JavaScript numbers are exact only up to
 * 2^53 - 1, so integers beyond that are parsed as `bigint` and written back as plain JSON numbers. Everything
 * else behaves like `JSON.parse` / `JSON.stringify`, plus one rule for every document read or written: at most
 * {@link MAX_JSON_DEPTH} nested arrays/objects (docs/protocol-codec.md).
 */

/**
 * Deepest nesting of arrays and objects in one document: Jackson's default (`StreamReadConstraints` /
 * `StreamWriteConstraints.maxNestingDepth`), so the server never sends a deeper one and never reads one.
 */
export const MAX_JSON_DEPTH = 1000;

/** A document nested deeper than {@link MAX_JSON_DEPTH}; `subject` names it ("argsStr", "wfContext", ...). */
export class JsonNestingError extends Error {
  constructor(
    readonly subject = 'JSON document',
    readonly limit = MAX_JSON_DEPTH,
  ) {
    super(`${subject}: nesting too deep (more than ${limit} levels of arrays/objects)`);
    this.name = 'JsonNestingError';
  }

  /** The same refusal, naming what was too deep. */
  of(subject: string): JsonNestingError {
    return new JsonNestingError(subject, this.limit);
  }
}

/**
 * An integer literal of 16 or more digits (only those may be unsafe) in a position where JSON allows a value: at
 * the start or after `[`, `:` or `,`. Digit runs inside strings, such as the snowflake `jobBizId` of every dispatch,
 * usually do not match, so ordinary traffic takes the native `JSON.parse` path; a string that happens to look like
 * `:1234567890123456` only costs the slower (still exact) parser.
 */
const LONG_INTEGER_VALUE = /(?:^|[[:,])\s*-?\d{16,}/;

/**
 * Parses JSON text, keeping integers beyond `Number.MAX_SAFE_INTEGER` exact as `bigint`. Throws `SyntaxError` for
 * text that is not JSON and {@link JsonNestingError} for a document nested deeper than {@link MAX_JSON_DEPTH}.
 */
export function parseJson(text: string): unknown {
  if (!LONG_INTEGER_VALUE.test(text)) {
    checkNesting(text);
    return JSON.parse(text) as unknown;
  }
  return new LosslessParser(text).parseDocument();
}

/**
 * `JSON.stringify` that writes `bigint` values as JSON numbers; `undefined` becomes the text `null`. Values without
 * a bigint take the native path; when `JSON.stringify` refuses a bigint the value is written by {@link JsonWriter},
 * which follows `JSON.stringify` step by step. Throws {@link JsonNestingError} for a value nested deeper than
 * {@link MAX_JSON_DEPTH}, and what `JSON.stringify` throws (a circular structure, a throwing `toJSON`).
 */
export function stringifyJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value) as string | undefined;
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/.test(error.message)) throw error;
    return new JsonWriter().document(value);
  }
  if (text === undefined) return 'null';
  checkNesting(text, 'JSON value');
  return text;
}

/**
 * Throws {@link JsonNestingError} when `text` opens more than {@link MAX_JSON_DEPTH} arrays/objects inside each
 * other (brackets inside strings do not count). Text that is not JSON is left for the parser to refuse.
 */
function checkNesting(text: string, subject?: string): void {
  // Nesting deeper than the limit needs more brackets than that, opening and closing.
  if (text.length <= 2 * MAX_JSON_DEPTH) return;
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: the next quote not escaped by an odd run of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return;
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new JsonNestingError(subject);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

/**
 * Writes a value like `JSON.stringify(value)` (no replacer, no indentation), with two differences: a `bigint`
 * becomes its decimal digits as a JSON number, and nesting deeper than {@link MAX_JSON_DEPTH} throws
 * {@link JsonNestingError}. Strings and numbers are quoted and formatted by `JSON.stringify` itself, so no content
 * of a string or key can change the structure of the output.
 */
class JsonWriter {
  /** The objects and arrays being written (a circular structure throws like `JSON.stringify`). */
  private readonly stack: object[] = [];

  document(value: unknown): string {
    return this.property('', value) ?? 'null';
  }

  /** SerializeJSONProperty: `undefined` when the property is left out (functions, symbols, `undefined`). */
  private property(key: string, input: unknown): string | undefined {
    let value = input;
    if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, key);
    }
    if (typeof value === 'object' && value !== null) {
      if (value instanceof Number) value = Number(value);
      else if (value instanceof String) value = String(value);
      else if (value instanceof Boolean || value instanceof BigInt) value = value.valueOf();
    }
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
        return JSON.stringify(value);
      case 'bigint':
        return value.toString();
      case 'object':
        if (value === null) return 'null';
        return Array.isArray(value) ? this.array(value) : this.object(value);
      default:
        return undefined;
    }
  }

  private enter(value: object): void {
    if (this.stack.includes(value)) throw new TypeError('Converting circular structure to JSON');
    if (this.stack.length >= MAX_JSON_DEPTH) throw new JsonNestingError('JSON value');
    this.stack.push(value);
  }

  private array(value: readonly unknown[]): string {
    this.enter(value);
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += this.property(String(i), value[i]) ?? 'null';
    }
    this.stack.pop();
    return `${out}]`;
  }

  private object(value: object): string {
    this.enter(value);
    let out = '{';
    let first = true;
    for (const key of Object.keys(value)) {
      const text = this.property(key, (value as Record<string, unknown>)[key]);
      if (text === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
      first = false;
    }
    this.stack.pop();
    return `${out}}`;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

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

  /** A value inside `depth` arrays/objects. */
  private value(depth: number): unknown {
    this.ws();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        if (depth >= MAX_JSON_DEPTH) throw new JsonNestingError();
        return this.object(depth + 1);
      case '[':
        if (depth >= MAX_JSON_DEPTH) throw new JsonNestingError();
        return this.array(depth + 1);
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
      const v = this.value(depth);
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
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
      out.push(this.value(depth));
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
