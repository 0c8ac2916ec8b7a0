import { inspect } from 'node:util';
import { stringifyJson } from '../protocol/json.js';
import { TEXT_TRUNCATED } from '../snail-job.messages.js';

/** A log call turned into text, with the error whose stack becomes the entry's `throwable`. */
export interface FormattedMessage {
  readonly text: string;
  readonly error: Error | undefined;
}

/** `util.format`'s options for values appended after the placeholders. */
const APPENDED = { depth: 0, colors: false, compact: 3 } as const;

/**
 * Formats `message` and `args` like `util.format` (`%s %d %i %f %j %o %O %c %%`, extra args appended with a
 * space), with two differences: a trailing `Error` argument is the entry's throwable (as in SLF4J) and shows
 * in the text only where a placeholder asks for it, and an `Error` in the text reads `Name: message` (its
 * stack goes to the throwable). Never throws.
 */
export function formatMessage(message: unknown, args: readonly unknown[]): FormattedMessage {
  if (args.length === 0) {
    if (typeof message === 'string') return { text: message, error: undefined };
    if (message instanceof Error) return { text: errorTitle(message), error: message };
    return { text: appended(message), error: undefined };
  }
  const last = args[args.length - 1];
  const trailingError = last instanceof Error ? last : undefined;
  if (typeof message !== 'string') {
    const parts = [message, ...(trailingError ? args.slice(0, -1) : args)];
    const error = trailingError ?? (message instanceof Error ? message : undefined);
    return { text: parts.map(appended).join(' '), error };
  }
  const { text, consumed } = substitute(message, args);
  const rest = trailingError && consumed < args.length ? args.slice(consumed, -1) : args.slice(consumed);
  let out = text;
  for (const arg of rest) out += ` ${appended(arg)}`;
  return { text: out, error: trailingError };
}

/** Replaces the placeholders of `template`; returns the text and how many args it used. */
function substitute(template: string, args: readonly unknown[]): { text: string; consumed: number } {
  let out = '';
  let from = 0;
  let used = 0;
  for (let i = template.indexOf('%'); i !== -1 && i < template.length - 1; i = template.indexOf('%', i + 1)) {
    const spec = template[i + 1];
    let replacement: string | undefined;
    if (spec === '%') {
      replacement = '%';
    } else if (used < args.length) {
      replacement = placeholder(spec, args[used]);
      if (replacement !== undefined) used++;
    }
    if (replacement === undefined) continue;
    out += template.slice(from, i) + replacement;
    from = i + 2;
    i++;
  }
  return { text: from === 0 ? template : out + template.slice(from), consumed: used };
}

function placeholder(spec: string, value: unknown): string | undefined {
  try {
    switch (spec) {
      case 's':
        return asString(value);
      case 'd':
        return typeof value === 'bigint'
          ? `${value}n`
          : typeof value === 'symbol'
            ? 'NaN'
            : num(Number(value));
      case 'i':
        return typeof value === 'bigint'
          ? `${value}n`
          : typeof value === 'symbol'
            ? 'NaN'
            : num(parseInt(String(value), 10));
      case 'f':
        return typeof value === 'symbol' ? 'NaN' : num(parseFloat(String(value)));
      case 'j':
        return asJson(value);
      case 'o':
        return inspect(value, { showHidden: true, showProxy: true, depth: 4 });
      case 'O':
        return inspect(value);
      case 'c':
        return '';
      default:
        return undefined;
    }
  } catch {
    return '[unprintable]';
  }
}

function num(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Error) return errorTitle(value);
  if (typeof value === 'object' && value !== null && hasOwnToString(value)) return String(value);
  if (typeof value === 'object' && value !== null) return inspect(value, APPENDED);
  return typeof value === 'number' ? num(value) : String(value);
}

function asJson(value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'undefined';
  try {
    return stringifyJson(value);
  } catch {
    return '[Circular]';
  }
}

/** A value appended after the placeholders (or any part of a non-string message). */
function appended(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return errorTitle(value);
  try {
    return inspect(value, APPENDED);
  } catch {
    return '[unprintable]';
  }
}

/** True for objects whose class defines its own `toString` (util.format's "user defined toString"). */
function hasOwnToString(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype || Array.isArray(value)) return false;
  const toString = (value as { toString?: unknown }).toString;
  return typeof toString === 'function' && toString !== Object.prototype.toString && !isBuiltIn(value);
}

function isBuiltIn(value: object): boolean {
  return value instanceof Date || value instanceof RegExp || value instanceof Map || value instanceof Set;
}

/** `"<Class>: <message>"` of an error. */
export function errorTitle(error: Error): string {
  const message = safe(() => String(error.message), '');
  return message === '' ? errorClass(error) : `${errorClass(error)}: ${message}`;
}

/** The error's class: its `name` when set to something specific, else its constructor's name. */
function errorClass(error: Error): string {
  const name = safe(() => error.name, undefined);
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  const ctor = safe(() => (error.constructor as { name?: unknown } | undefined)?.name, undefined);
  return typeof ctor === 'string' && ctor !== '' ? ctor : 'Error';
}

/** Most stack lines in a `throwable`, as the Java client sends. */
export const MAX_STACK_LINES = 30;
const FRAME = /^\s+at\s+(.*)$/;

/**
 * The `throwable` field of docs/protocol.md §7.1: `"<Class>: <message>"` followed by up to 30 lines `"\n\tat <frame>"`, then
 * `"\nCaused by: …"` for `error.cause` chains while lines remain.
 */
export function formatThrowable(error: Error): string {
  let out = '';
  let budget = MAX_STACK_LINES;
  const seen = new Set<Error>();
  let current: Error | undefined = error;
  for (let depth = 0; current && !seen.has(current) && depth < 5; depth++) {
    seen.add(current);
    if (depth > 0) out += '\nCaused by: ';
    out += errorTitle(current);
    const stack = safe(() => current?.stack, undefined);
    const frames = typeof stack === 'string' ? stackFrames(stack, budget) : [];
    budget -= frames.length;
    for (const frame of frames) out += `\n\tat ${frame}`;
    const cause: unknown = safe(() => current?.cause, undefined);
    current = cause instanceof Error ? cause : undefined;
  }
  return out;
}

/**
 * A stack trace given as text (e.g. Nest's `logger.error(message, stack)`) in the `throwable` shape: its
 * header kept, at most 30 frames as `"\n\tat <frame>"`.
 */
export function throwableFromStack(stack: string): string {
  const firstFrame = stack.search(/\n[ \t]+at /);
  if (firstFrame === -1) return stack;
  const frames = stackFrames(stack.slice(firstFrame), MAX_STACK_LINES);
  return stack.slice(0, firstFrame) + frames.map((f) => `\n\tat ${f}`).join('');
}

function stackFrames(stack: string, limit: number): string[] {
  const frames: string[] = [];
  if (limit <= 0) return frames;
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    frames.push(m[1]);
    if (frames.length >= limit) break;
  }
  return frames;
}

/**
 * `text` cut to `maxChars` characters (never in the middle of a surrogate pair) with a note saying how long it
 * was; a cut copy does not keep the original string alive.
 */
export function limitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  const head = Buffer.from(text.slice(0, end), 'utf16le').toString('utf16le');
  return head + TEXT_TRUNCATED(text.length);
}

function safe<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}
