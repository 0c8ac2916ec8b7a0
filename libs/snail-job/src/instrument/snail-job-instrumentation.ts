import { Injectable } from '@nestjs/common';

/** Outcome of one executed task, as seen by instrumentation. */
export type TaskOutcome = 'success' | 'failure' | 'stop' | 'timeout' | 'shutdown';

/**
 * The seam between the runtime and observers (metrics). The default does nothing; the metrics module
 * replaces it. Every hook must be cheap and must never throw.
 */
@Injectable()
export class SnailJobInstrumentation {
  /** An inbound (server → client) call was answered. */
  inboundCall(_uri: string, _status: number): void {}
  /** A dispatch was refused or accepted; `reason` is a short fixed label. */
  dispatch(_executor: string, _accepted: boolean, _reason: string): void {}
  /** A task started running. */
  taskStarted(_executor: string): void {}
  /** A task ended. */
  taskEnded(_executor: string, _outcome: TaskOutcome, _durationMs: number): void {}
  /** Tasks waiting / running changed. */
  concurrency(_running: number, _queued: number, _batches: number): void {}
  /** An outbound call to the server completed (`ok` false on transport error or status 0). */
  outboundCall(_uri: string, _ok: boolean): void {}
  /** A result report is being retried. */
  reportRetry(): void {}
  /** A result report was given up (one ERROR line says which and why). */
  reportDropped(_reason: ReportDropReason): void {}
  /** A heartbeat succeeded (`at` epoch ms) or failed. */
  heartbeat(_ok: boolean, _at: number): void {}
  /** Log entries were sent or dropped. */
  logEntries(_sent: number, _dropped: number): void {}
  /** The event loop was blocked for `ms` while `executor` ran (`'(none)'` when no task ran); once per executor. */
  eventLoopStall(_executor: string, _ms: number): void {}
}

/**
 * Why a result report was given up: `rejected` the server can never accept its body (it cannot parse it),
 * `refused` it was still refused after every retry, `unencodable` it could not be encoded, `overflow` it was
 * pushed out of a full queue.
 */
export type ReportDropReason = 'rejected' | 'refused' | 'unencodable' | 'overflow';
