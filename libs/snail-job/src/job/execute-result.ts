/** What an executor returns: reported to the server as `executeResult`. */
export class ExecuteResult {
  private constructor(
    /** 1 success, 0 failure; decides the reported `taskStatus` (3 SUCCESS / 4 FAIL). */
    readonly status: 0 | 1,
    /** Stored by the server as the task's result (any JSON value); shown in the console, fed to reduce/merge. */
    readonly result: unknown,
    /** Message for the server's alarms and logs (not persisted by the server). */
    readonly message: string,
  ) {}

  /** A successful result. */
  static success(result?: unknown, message = 'Task executed successfully'): ExecuteResult {
    return new ExecuteResult(1, result, message);
  }

  /** A failed result. */
  static failure(result?: unknown, message = 'Task execution failed'): ExecuteResult {
    return new ExecuteResult(0, result, message);
  }

  /** True for an {@link ExecuteResult} created by this or another copy of the library. */
  static isExecuteResult(value: unknown): value is ExecuteResult {
    if (value instanceof ExecuteResult) return true;
    return (
      value !== null &&
      typeof value === 'object' &&
      (value as { constructor?: { name?: string } }).constructor?.name === 'ExecuteResult' &&
      ((value as ExecuteResult).status === 0 || (value as ExecuteResult).status === 1)
    );
  }
}
