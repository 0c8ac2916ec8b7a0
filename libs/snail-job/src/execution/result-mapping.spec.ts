import { describe, expect, it } from 'vitest';
import { ExecuteResult } from '../job/execute-result.js';
import { encodeBody } from '../protocol/envelope.js';
import { MAX_JSON_DEPTH } from '../protocol/json.js';
import { toWireExecuteResult } from './result-mapping.js';

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
