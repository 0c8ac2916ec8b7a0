import type { LogEntry, TaskLog } from './task-log.js';

/** The parts of an entry's JSON that are the same for every entry of a task. */
interface TaskFragments {
  /** `{"name":"thread",…}` */
  readonly thread: string;
  /** `,"groupName":…,"jobId":…,"logType":"JOB","namespaceId":…,` */
  readonly head: string;
  /** `,"taskBatchId":…,"taskId":…}` */
  readonly tail: string;
}

/**
 * Writes `JobLogTaskRequest` JSON (docs/protocol.md §7.1) the way the Java client does: properties in Jackson 3's
 * alphabetical order, the eight fields in the Java appender's order, a value-less `{"name":"throwable"}` when
 * there is none, ids echoed exactly (bigint included). Per-task parts are built once per task.
 */
export class LogEntrySerializer {
  private readonly fragments = new WeakMap<TaskLog, TaskFragments>();
  private hostPort = '';
  private hostPortOf = -1;

  constructor(
    private readonly host: string,
    private readonly port: () => number,
  ) {}

  /** Thread name shown by the console: the Java pool's `snail-job-job-<taskBatchId>` plus `-<taskId>`. */
  static threadName(task: TaskLog): string {
    return `snail-job-job-${String(task.request.taskBatchId)}-${String(task.request.taskId)}`;
  }

  /** One entry as JSON text. */
  entry(e: LogEntry): string {
    const f = this.fragments.get(e.task) ?? this.build(e.task);
    const throwable =
      e.throwable === undefined
        ? '{"name":"throwable"}'
        : `{"name":"throwable","value":${JSON.stringify(e.throwable)}}`;
    return (
      `{"fieldList":[{"name":"time_stamp","value":"${e.time}"},{"name":"level","value":"${e.level}"},` +
      `${f.thread},{"name":"message","value":${JSON.stringify(e.message)}},` +
      `{"name":"location","value":${JSON.stringify(e.location)}},${throwable},${this.hostPortFields()}]` +
      `${f.head}"realTime":${e.time}${f.tail}`
    );
  }

  /** The envelope body of one `/batch/server/report/log` call: one argument, the list of entries. */
  static body(entries: readonly string[]): string {
    return `[[${entries.join(',')}]]`;
  }

  private build(task: TaskLog): TaskFragments {
    const r = task.request;
    const fragments: TaskFragments = {
      thread: `{"name":"thread","value":${JSON.stringify(LogEntrySerializer.threadName(task))}}`,
      head:
        `,"groupName":${JSON.stringify(r.groupName)},"jobId":${String(r.jobId)},"logType":"JOB",` +
        `"namespaceId":${JSON.stringify(r.namespaceId)},`,
      tail: `,"taskBatchId":${String(r.taskBatchId)},"taskId":${String(r.taskId)}}`,
    };
    this.fragments.set(task, fragments);
    return fragments;
  }

  private hostPortFields(): string {
    const port = this.port();
    if (port !== this.hostPortOf) {
      this.hostPortOf = port;
      this.hostPort = `{"name":"host","value":${JSON.stringify(this.host)}},{"name":"port","value":"${port}"}`;
    }
    return this.hostPort;
  }
}
