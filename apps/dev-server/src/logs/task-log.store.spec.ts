import { describe, expect, it } from 'vitest';
import { logEntryViews } from '../api/views.js';
import { TaskLogStore } from './task-log.store.js';

const entry = (message: string, realTime: number) => ({
  logType: 'JOB',
  jobId: 1,
  taskBatchId: 2,
  taskId: 3,
  realTime,
  fieldList: [
    { name: 'time_stamp', value: String(realTime) },
    { name: 'message', value: message },
  ],
});

describe('TaskLogStore', () => {
  it('keeps one row per task per report, with the first entry realTime, as the Java server does', () => {
    const store = new TaskLogStore();
    expect(store.store([entry('one', 100), entry('two', 250)])).toBe(1);
    const [row] = store.forTask(3n);
    expect(row.realTime).toBe(100);
    expect(row.entries.map((e) => e.message)).toEqual(['one', 'two']);
  });

  it('shows each entry with its own realTime in /api/batches/:id/logs', () => {
    const store = new TaskLogStore();
    store.store([entry('one', 100), entry('two', 250)]);
    store.store([entry('three', 400)]);
    expect(logEntryViews(store.forBatch(2n)).map((v) => [v.fields.message, v.realTime])).toEqual([
      ['one', 100],
      ['two', 250],
      ['three', 400],
    ]);
  });
});
