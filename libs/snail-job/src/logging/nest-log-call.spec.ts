import { describe, expect, it } from 'vitest';
import { parseNestLogCall } from './nest-log-call.js';

const STACK = 'Error: db down\n    at query (/app/db.js:10:5)\n    at run (/app/job.js:3:1)';

describe('parseNestLogCall', () => {
  it('uses the instance context and keeps every message part', () => {
    expect(parseNestLogCall('log', 'OrderService', 'saved', [{ id: 1 }])).toEqual({
      text: 'saved { id: 1 }',
      throwable: undefined,
      context: 'OrderService',
    });
  });

  it('reads a trailing string as the context of a static call', () => {
    expect(parseNestLogCall('warn', undefined, 'slow query', ['Db'])).toMatchObject({
      text: 'slow query',
      context: 'Db',
    });
    expect(parseNestLogCall('log', undefined, 'alone', [])).toMatchObject({
      text: 'alone',
      context: undefined,
    });
  });

  it('reads error(message, stack) and error(message, stack, context)', () => {
    expect(parseNestLogCall('error', 'Repo', 'query failed', [STACK])).toEqual({
      text: 'query failed',
      throwable: 'Error: db down\n\tat query (/app/db.js:10:5)\n\tat run (/app/job.js:3:1)',
      context: 'Repo',
    });
    expect(parseNestLogCall('error', undefined, 'query failed', [STACK, 'Static'])).toMatchObject({
      text: 'query failed',
      context: 'Static',
    });
    expect(parseNestLogCall('error', 'Repo', 'no stack', [])).toEqual({
      text: 'no stack',
      throwable: undefined,
      context: 'Repo',
    });
  });

  it('takes an Error message as text and throwable', () => {
    const call = parseNestLogCall('error', 'Repo', new TypeError('bad'), []);
    expect(call.text).toBe('TypeError: bad');
    expect(call.throwable?.startsWith('TypeError: bad\n\tat ')).toBe(true);
  });

  it('resolves lazy messages like ConsoleLogger', () => {
    class Widget {}
    expect(parseNestLogCall('debug', 'Ctx', () => 'computed', []).text).toBe('computed');
    expect(parseNestLogCall('verbose', 'Ctx', Widget, []).text).toBe('Widget');
  });
});
