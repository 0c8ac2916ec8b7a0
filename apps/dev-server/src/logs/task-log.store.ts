import { Injectable } from '@nestjs/common';
import { parseId } from '../common/ids.js';

/** One stored log row (`sj_job_log_message`): the entries one report carried for one task. */
export interface TaskLogRow {
  taskId: bigint;
  taskBatchId?: bigint;
  jobId?: bigint;
  /** `realTime` of the row's first entry. */
  realTime: number;
  /** Each entry as `{name: value}` (value-less fields dropped). */
  entries: Record<string, string>[];
  /** Each entry's own `realTime`, in the order of `entries`. */
  entryTimes: number[];
}

/**
 * Real-time job logs (docs/protocol.md §7.3): entries whose `logType` is absent or `JOB`, grouped by `taskId` into one
 * row per task per report. A request with an entry lacking `taskId`, or with duplicate field names in an
 * entry, loses all its job logs — as on the Java server.
 */
@Injectable()
export class TaskLogStore {
  private readonly rows: TaskLogRow[] = [];

  /** Stores the entries of one `/batch/server/report/log` request; returns how many rows were added. */
  store(entries: unknown[]): number {
    const jobEntries = entries.filter((e): e is Record<string, unknown> => {
      if (e === null || typeof e !== 'object') return false;
      const logType = (e as { logType?: unknown }).logType;
      return logType === undefined || logType === null || logType === 'JOB';
    });
    const grouped = new Map<bigint, TaskLogRow>();
    for (const entry of jobEntries) {
      const taskId = parseId(entry.taskId);
      const fields = this.fields(entry.fieldList);
      if (taskId === undefined || !fields) return 0;
      let row = grouped.get(taskId);
      if (!row) {
        row = {
          taskId,
          taskBatchId: parseId(entry.taskBatchId),
          jobId: parseId(entry.jobId),
          realTime: realTimeOf(entry),
          entries: [],
          entryTimes: [],
        };
        grouped.set(taskId, row);
      }
      row.entries.push(fields);
      row.entryTimes.push(realTimeOf(entry));
    }
    this.rows.push(...grouped.values());
    return grouped.size;
  }

  /** Every row in arrival order (do not modify). */
  allRows(): readonly TaskLogRow[] {
    return this.rows;
  }

  /** Rows loaded from a data directory, before any new one arrives. */
  restore(rows: TaskLogRow[]): void {
    this.rows.push(...rows);
  }

  /**
   * A line the server writes into a task's log itself (its own `SnailJobLog.REMOTE`), e.g. when a dispatch
   * fails (`RequestClientActor`): one row with one entry, shown by the console among the client's lines.
   */
  serverLine(
    task: { id: bigint; batchId: bigint; jobId: bigint },
    level: 'INFO' | 'WARN' | 'ERROR',
    message: string,
    throwable?: string,
  ): void {
    const now = Date.now();
    const entry: Record<string, string> = {
      time_stamp: String(now),
      level,
      thread: 'dev-server',
      message,
      location: 'RequestClientActor',
    };
    if (throwable) entry.throwable = throwable;
    this.rows.push({
      taskId: task.id,
      taskBatchId: task.batchId,
      jobId: task.jobId,
      realTime: now,
      entryTimes: [now],
      entries: [entry],
    });
  }

  forTask(taskId: bigint): TaskLogRow[] {
    return this.rows.filter((r) => r.taskId === taskId);
  }

  forBatch(taskBatchId: bigint): TaskLogRow[] {
    return this.rows.filter((r) => r.taskBatchId === taskBatchId);
  }

  /** `{name: value}` of a fieldList; undefined when a name repeats (the request is dropped). */
  private fields(fieldList: unknown): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    const seen = new Set<string>();
    for (const f of Array.isArray(fieldList) ? fieldList : []) {
      if (f === null || typeof f !== 'object') continue;
      const { name, value } = f as { name?: unknown; value?: unknown };
      if (typeof name !== 'string') continue;
      if (seen.has(name)) return undefined;
      seen.add(name);
      if (value !== undefined && value !== null)
        out[name] = typeof value === 'string' ? value : String(value);
    }
    return out;
  }
}

function realTimeOf(entry: Record<string, unknown>): number {
  return typeof entry.realTime === 'number' ? entry.realTime : Number(entry.realTime ?? 0);
}
