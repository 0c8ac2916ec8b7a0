import type { DispatchJobRequest } from '../protocol/payloads.js';
import { limitText } from './log-format.js';
import type { RemoteLogLevel } from './log-level.js';

/** Longest `message` kept in one entry, in characters; longer text is cut and says so. */
export const MAX_MESSAGE_CHARS = 16_384;
/** Longest `throwable` kept in one entry, in characters. */
export const MAX_THROWABLE_CHARS = 16_384;

/** One remote log line, kept compact until its batch is serialized. */
export interface LogEntry {
  readonly task: TaskLog;
  /** Epoch ms; `realTime` and `time_stamp` of the entry. */
  readonly time: number;
  readonly level: RemoteLogLevel;
  readonly message: string;
  readonly throwable: string | undefined;
  readonly location: string;
}

/** Where a task's entries go (the log reporter). */
export interface LogSink {
  append(entry: LogEntry): void;
}

/**
 * The remote log of one running task: knows its dispatch (ids for every entry), its executor (local log
 * context, default `location`) and keeps `realTime` non-decreasing, as the console's live view needs.
 */
export class TaskLog {
  private lastTime = 0;
  /** Trace id of the task's span when tracing is on (docs/tracing.md): appended to every line. */
  traceId: string | undefined;

  constructor(
    /** The dispatch the entries belong to. */
    readonly request: DispatchJobRequest,
    /** Executor name, used as the context of the local log lines. */
    readonly executorName: string,
    /** Default `location`: the handler as `Class#method`. */
    readonly location: string,
    /** Whether Nest `Logger` calls in this task are shipped too. */
    readonly captureNestLogger: boolean,
    private readonly sink: LogSink,
  ) {}

  /** Queues one entry; `message` and `throwable` are bounded in size. Never waits, never throws. */
  write(level: RemoteLogLevel, message: string, throwable?: string, location: string = this.location): void {
    const now = Date.now();
    const time = now > this.lastTime ? now : this.lastTime;
    this.lastTime = time;
    this.sink.append({
      task: this,
      time,
      level,
      message: limitText(this.traceId ? `${message} [trace_id=${this.traceId}]` : message, MAX_MESSAGE_CHARS),
      throwable: throwable === undefined ? undefined : limitText(throwable, MAX_THROWABLE_CHARS),
      location,
    });
  }
}
