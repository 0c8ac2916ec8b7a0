/** Why a task's `AbortSignal` was aborted (`args.signal.reason`). */
export type AbortReason = 'stop' | 'timeout' | 'shutdown';
