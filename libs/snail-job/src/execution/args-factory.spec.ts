import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson } from '../protocol/json.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import { buildArgs } from './args-factory.js';
import { validateDispatch } from './dispatch-request.js';
import type { ReduceArgs } from '../job/job-args.js';

/** A dispatch argument as the envelope decoder yields it from the server's JSON text. */
function dispatch(overrides = ''): Record<string, unknown> {
  const base =
    '"namespaceId":"ns","jobId":7,"taskBatchId":1201,"taskId":3301,"taskType":1,"groupName":"g",' +
    '"parallelNum":1,"executorType":1,"executorInfo":"echoJob","executorTimeout":60';
  return parseJson(`{${base}${overrides ? `,${overrides}` : ''}}`) as Record<string, unknown>;
}

function validated(overrides = ''): DispatchJobRequest {
  const v = validateDispatch(dispatch(overrides));
  if (!v.ok) throw new Error(v.message);
  return v.request;
}

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const noop = () => Promise.reject(new Error('unused'));

describe('dispatch ids', () => {
  it('refuses ids beyond the Java long range, naming the field', () => {
    for (const [field, value] of [
      ['taskId', '18446744073709551616'],
      ['taskId', '9223372036854775808'],
      ['jobId', '-9223372036854775809'],
      ['taskBatchId', '100000000000000000000000'],
      ['workflowTaskBatchId', '9223372036854775808'],
      ['workflowNodeId', '-9223372036854775809'],
    ]) {
      const result = validateDispatch({ ...dispatch(), [field]: parseJson(value) });
      expect(result, `${field}=${value}`).toEqual({
        ok: false,
        message: `${field} is outside the Java long range, got ${value}`,
      });
    }
  });

  it('accepts every id inside the Java long range exactly', () => {
    const r = validated(
      '"taskId":9223372036854775807,"jobId":-9223372036854775808,"taskBatchId":9007199254740993',
    );
    expect(r.taskId).toBe(2n ** 63n - 1n);
    expect(r.jobId).toBe(-(2n ** 63n));
    expect(r.taskBatchId).toBe(9007199254740993n);
  });
});

describe('dispatch documents', () => {
  it('refuses an argsStr nested too deep instead of running the text as jobParams', () => {
    const argsStr = JSON.stringify(`{"jobParams":${deep(MAX_JSON_DEPTH + 1)},"maps":[1]}`);
    expect(validateDispatch(dispatch(`"argsStr":${argsStr}`))).toEqual({
      ok: false,
      message: 'argsStr: nesting too deep (more than 1000 levels of arrays/objects)',
    });
  });

  it('refuses a wfContext nested too deep instead of emptying it', () => {
    const wfContext = JSON.stringify(`{"k":${deep(MAX_JSON_DEPTH + 1)}}`);
    expect(validateDispatch(dispatch(`"wfContext":${wfContext}`))).toMatchObject({
      ok: false,
      message: 'wfContext: nesting too deep (more than 1000 levels of arrays/objects)',
    });
  });

  it('refuses a reduce input nested too deep instead of handing it over as a string', () => {
    const argsStr = JSON.stringify(JSON.stringify({ jobParams: 'p', maps: ['1', deep(MAX_JSON_DEPTH + 1)] }));
    expect(validateDispatch(dispatch(`"taskType":5,"mrStage":2,"argsStr":${argsStr}`))).toMatchObject({
      ok: false,
      message: 'argsStr.maps[1]: nesting too deep (more than 1000 levels of arrays/objects)',
    });
  });

  it('accepts documents nested exactly to the limit', () => {
    const argsStr = JSON.stringify(`{"jobParams":${deep(MAX_JSON_DEPTH - 1)}}`);
    expect(validateDispatch(dispatch(`"argsStr":${argsStr}`)).ok).toBe(true);
  });

  it('keeps long integers in jobParams as the numbers they were written as', () => {
    const args = buildArgs(
      validated(
        '"argsStr":"{\\"jobParams\\":{\\"orderId\\":9223372036854775807,\\"n\\":[12345678901234567890]}}"',
      ),
      new AbortController().signal,
      noop,
    );
    expect(args.jobParams).toBe('{"orderId":9223372036854775807,"n":[12345678901234567890]}');
  });

  it('hands a reduce the numbers its maps returned, long ones included, whether listed as text or as numbers', () => {
    const argsStr = JSON.stringify(
      '{"jobParams":"p","maps":[12345678901234567890,"9223372036854775807",{"total":18446744073709551615},"x"]}',
    );
    const args = buildArgs(
      validated(`"taskType":5,"mrStage":2,"argsStr":${argsStr}`),
      new AbortController().signal,
      noop,
    ) as ReduceArgs;
    expect(args.mapResult).toEqual([
      12345678901234567890n,
      9223372036854775807n,
      { total: 2n ** 64n - 1n },
      'x',
    ]);
    expect(args.rawMapResult).toEqual([
      '12345678901234567890',
      '9223372036854775807',
      '{"total":18446744073709551615}',
      'x',
    ]);
  });
});

describe('args serialisation', () => {
  it('never throws for JSON.stringify, util.format %j or inspect, whatever ids and data hold', () => {
    const argsStr = JSON.stringify(
      JSON.stringify({ jobParams: 'p', maps: ['{"big":18446744073709551615}'] }),
    );
    const args = buildArgs(
      validated(
        `"taskId":9223372036854775807,"taskBatchId":9007199254740993,"taskType":5,"mrStage":2,` +
          `"argsStr":${argsStr},"wfContext":"{\\"k\\":12345678901234567890}"`,
      ),
      new AbortController().signal,
      noop,
    );
    args.appendContext('added', 2n ** 70n);
    const json = JSON.parse(JSON.stringify(args)) as Record<string, unknown>;
    expect(json).toMatchObject({
      jobId: 7,
      taskId: '9223372036854775807',
      taskBatchId: '9007199254740993',
      mapResult: [{ big: '18446744073709551615' }],
      wfContext: { k: '12345678901234567890' },
      changedWfContext: { added: '1180591620717411303424' },
    });
    expect(json).not.toHaveProperty('signal');
    expect(JSON.parse(format('%j', args))).toEqual(json);
    expect(inspect(args)).toContain('9223372036854775807n');
  });
});
