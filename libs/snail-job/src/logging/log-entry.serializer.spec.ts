import { describe, expect, it } from 'vitest';
import { parseJson } from '../protocol/json.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';
import { LogEntrySerializer } from './log-entry.serializer.js';
import { TaskLog, type LogEntry } from './task-log.js';

function task(overrides: Partial<DispatchJobRequest> = {}): TaskLog {
  const request = {
    namespaceId: '764d604ec6fc45f68cd92514c40e9e1a',
    groupName: 'demo_group',
    jobId: 7,
    taskBatchId: 1201,
    taskId: 3301,
    ...overrides,
  } as DispatchJobRequest;
  return new TaskLog(request, 'demoJob', 'DemoJob#run', false, { append: () => undefined });
}

const entry = (t: TaskLog, e: Partial<LogEntry> = {}): LogEntry => ({
  task: t,
  time: 1716901234567,
  level: 'INFO',
  message: 'processed 42 rows',
  throwable: undefined,
  location: 'DemoJob#run',
  ...e,
});

describe('LogEntrySerializer', () => {
  const serializer = new LogEntrySerializer('10.0.0.5', () => 17889);

  it('writes the docs/protocol.md §7.1 example byte for byte (Jackson order, value-less throwable)', () => {
    expect(serializer.entry(entry(task()))).toBe(
      '{"fieldList":[{"name":"time_stamp","value":"1716901234567"},{"name":"level","value":"INFO"},' +
        '{"name":"thread","value":"snail-job-job-1201-3301"},{"name":"message","value":"processed 42 rows"},' +
        '{"name":"location","value":"DemoJob#run"},{"name":"throwable"},' +
        '{"name":"host","value":"10.0.0.5"},{"name":"port","value":"17889"}],' +
        '"groupName":"demo_group","jobId":7,"logType":"JOB","namespaceId":"764d604ec6fc45f68cd92514c40e9e1a",' +
        '"realTime":1716901234567,"taskBatchId":1201,"taskId":3301}',
    );
  });

  it('escapes text, carries the throwable and echoes ids above 2^53 exactly', () => {
    const t = task({
      jobId: 9223372036854775807n,
      taskBatchId: 9007199254740993n,
      taskId: 9007199254740995n,
    });
    const json = serializer.entry(
      entry(t, { level: 'ERROR', message: 'quote " and \\ and\nnewline', throwable: 'Error: x\n\tat a' }),
    );
    const parsed = parseJson(json) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      jobId: 9223372036854775807n,
      taskBatchId: 9007199254740993n,
      taskId: 9007199254740995n,
      logType: 'JOB',
      realTime: 1716901234567,
    });
    const fields = parsed.fieldList as { name: string; value?: string }[];
    expect(fields.map((f) => f.name)).toEqual([
      'time_stamp',
      'level',
      'thread',
      'message',
      'location',
      'throwable',
      'host',
      'port',
    ]);
    expect(fields[3].value).toBe('quote " and \\ and\nnewline');
    expect(fields[5].value).toBe('Error: x\n\tat a');
    expect(fields[2].value).toBe('snail-job-job-9007199254740993-9007199254740995');
  });

  it('wraps entries as one argument holding the list', () => {
    expect(LogEntrySerializer.body(['{"a":1}', '{"b":2}'])).toBe('[[{"a":1},{"b":2}]]');
    expect(JSON.parse(LogEntrySerializer.body([serializer.entry(entry(task()))]))[0]).toHaveLength(1);
  });
});

describe('TaskLog', () => {
  it('keeps realTime non-decreasing and bounds text', () => {
    const got: LogEntry[] = [];
    const t = new TaskLog({} as DispatchJobRequest, 'x', 'X#run', false, { append: (e) => got.push(e) });
    const realNow = Date.now;
    let fake = 2_000;
    Date.now = () => fake;
    try {
      t.write('INFO', 'a');
      fake = 1_000; // the clock stepped back
      t.write('INFO', 'b');
    } finally {
      Date.now = realNow;
    }
    t.write('WARN', 'm'.repeat(20_000), 't'.repeat(20_000), 'Elsewhere');
    expect(got.map((e) => e.time).slice(0, 2)).toEqual([2_000, 2_000]);
    expect(got[2].message.length).toBeLessThan(16_500);
    expect(got[2].message).toContain('[truncated: 20000 characters in total]');
    expect(got[2].throwable).toContain('[truncated: 20000 characters in total]');
    expect(got[2].location).toBe('Elsewhere');
    expect(got[0].location).toBe('X#run');
  });
});
