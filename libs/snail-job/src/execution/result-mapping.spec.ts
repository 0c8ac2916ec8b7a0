import { describe, expect, it } from 'vitest';
import { ExecuteResult } from '../job/execute-result.js';
import { encodeBody } from '../protocol/envelope.js';
import { MAX_JSON_DEPTH } from '../protocol/json.js';
import { SnailJobParamsError } from '../params/params.error.js';
import { toExecuteResult, toWireExecuteResult } from './result-mapping.js';

function nested(levels: number): unknown {
  let v: unknown = 1n;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

describe('wire executeResult', () => {
  it('keeps a result that fits into the report body within the JSON nesting limit', () => {
    const wire = toWireExecuteResult(ExecuteResult.success(nested(MAX_JSON_DEPTH - 3)));
    expect(wire.status).toBe(1);
    expect(() => encodeBody([{ executeResult: wire }])).not.toThrow();
  });

  it('fails a result nested too deep for the report body, saying why', () => {
    const wire = toWireExecuteResult(ExecuteResult.success(nested(MAX_JSON_DEPTH - 2)));
    expect(wire).toEqual({
      status: 0,
      message:
        'Task result is not JSON-serialisable (JSON value: nesting too deep (more than 1000 levels of arrays/objects)); return plain data from the executor.',
    });
  });
});

describe('a thrown error as an ExecuteResult', () => {
  it('a throw fails with its message and no result, as the Java client does', () => {
    const r = toExecuteResult({ error: new TypeError('boom') });
    expect([r.status, r.result, r.message]).toEqual([0, undefined, 'boom']);
  });

  it('rejected params carry the reason as the result: the server stores only the result (JobExecutorResultActor)', () => {
    const r = toExecuteResult({
      error: new SnailJobParamsError('daily', [{ path: 'day', message: 'Invalid ISO date' }]),
    });
    const reason = 'Invalid job params for executor "daily": day: Invalid ISO date';
    expect([r.status, r.result, r.message]).toEqual([0, reason, reason]);
  });
});
