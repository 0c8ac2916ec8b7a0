import { describe, expect, it } from 'vitest';
import { errorTitle, formatMessage, formatThrowable, limitText, throwableFromStack } from './log-format.js';

const text = (message: unknown, ...args: unknown[]) => formatMessage(message, args).text;

describe('formatMessage', () => {
  it('returns a plain string untouched (no args: %% stays, like util.format)', () => {
    expect(formatMessage('100%% done %s', [])).toEqual({ text: '100%% done %s', error: undefined });
  });

  it('substitutes %s %d %i %f %j %o %O %c %% like util.format', () => {
    expect(text('%s has %d rows (%i%%, %f)', 'orders', 42, '7.9', '1.5')).toBe(
      'orders has 42 rows (7%, 1.5)',
    );
    expect(text('big %d and %s', 12n, 9007199254740993n)).toBe('big 12n and 9007199254740993n');
    expect(text('json %j', { id: 9007199254740993n, a: [1] })).toBe('json {"id":9007199254740993,"a":[1]}');
    expect(text('%o', { a: 1 })).toBe('{ a: 1 }');
    expect(text('%O', { a: { b: 1 } })).toBe('{ a: { b: 1 } }');
    expect(text('%cstyled', 'color: red')).toBe('styled');
    expect(text('%d %d', -0, 'x')).toBe('-0 NaN');
    expect(text('%x %s', 'a')).toBe('%x a');
  });

  it('appends extra args with a space and leaves unmatched placeholders', () => {
    expect(text('a', 'b', 3, { c: { d: 1 } })).toBe('a b 3 { c: [Object] }');
    expect(text('%s and %s', 'one')).toBe('one and %s');
    expect(text({ a: 1 }, 'x')).toBe('{ a: 1 } x');
  });

  it('never throws, even where util.format would', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(text('%j', circular)).toBe('[Circular]');
    expect(text('%j', undefined)).toBe('undefined');
    const hostile = {
      [Symbol.toPrimitive]() {
        throw new Error('no');
      },
    };
    expect(text('%d', hostile)).toBe('[unprintable]');
  });

  it('uses a trailing Error as the throwable and keeps it out of the text', () => {
    const err = new TypeError('bad input');
    expect(formatMessage('failed for %s', ['order-1', err])).toEqual({
      text: 'failed for order-1',
      error: err,
    });
    expect(formatMessage('failed', [err])).toEqual({ text: 'failed', error: err });
  });

  it('shows an Error consumed by a placeholder as "Name: message" and still keeps its stack', () => {
    const err = new RangeError('too big');
    expect(formatMessage('failed: %s', [err])).toEqual({ text: 'failed: RangeError: too big', error: err });
  });

  it('treats an Error passed as the message as text and throwable', () => {
    const err = new Error('boom');
    expect(formatMessage(err, [])).toEqual({ text: 'Error: boom', error: err });
  });

  it('prints objects with their own toString via toString, plain objects via inspect', () => {
    class Money {
      toString() {
        return '12.50 EUR';
      }
    }
    expect(text('paid %s', new Money())).toBe('paid 12.50 EUR');
    expect(text('got %s', { a: 1 })).toBe('got { a: 1 }');
  });
});

describe('throwable', () => {
  it('is "<Class>: <message>" then up to 30 "\\n\\tat" lines', () => {
    class PaymentDeclinedError extends Error {}
    function deep(n: number): never {
      if (n === 0) throw new PaymentDeclinedError('card expired');
      return deep(n - 1);
    }
    let err: Error | undefined;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    try {
      deep(40);
    } catch (e) {
      err = e as Error;
    } finally {
      Error.stackTraceLimit = limit;
    }
    const t = formatThrowable(err!);
    const lines = t.split('\n');
    expect(lines[0]).toBe('PaymentDeclinedError: card expired');
    expect(lines).toHaveLength(31);
    expect(lines.slice(1).every((l) => /^\tat \S/.test(l))).toBe(true);
    expect(lines[1]).toContain('deep');
  });

  it('uses a specific error.name and appends causes while lines remain', () => {
    const cause = new Error('socket closed');
    const err = new Error('save failed', { cause });
    err.name = 'PersistenceError';
    const t = formatThrowable(err);
    expect(t.startsWith('PersistenceError: save failed\n\tat ')).toBe(true);
    expect(t).toContain('\nCaused by: Error: socket closed\n\tat ');
    expect(t.split('\n').filter((l) => l.startsWith('\tat ')).length).toBeLessThanOrEqual(30);
    expect(errorTitle(new Error(''))).toBe('Error');
  });

  it('reshapes a stack given as text', () => {
    const stack = 'Error: x\n    at a (/app/a.js:1:1)\n    at b (/app/b.js:2:2)';
    expect(throwableFromStack(stack)).toBe('Error: x\n\tat a (/app/a.js:1:1)\n\tat b (/app/b.js:2:2)');
    expect(throwableFromStack('just text')).toBe('just text');
  });
});

describe('limitText', () => {
  it('keeps short text and cuts long text with a note', () => {
    expect(limitText('short', 10)).toBe('short');
    expect(limitText('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}… [truncated: 100 characters in total]`);
  });

  it('never splits a surrogate pair', () => {
    const cut = limitText(`${'a'.repeat(9)}😀tail`, 10);
    expect(cut.startsWith(`${'a'.repeat(9)}…`)).toBe(true);
  });
});
