/** One problem found in a job's params: where (`day`, `items.0.sku`; `''` for the whole value) and what. */
export interface ParamsIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown before the handler runs when a job's params do not match the executor's `params` schema; the task
 * fails with this message, which names every field at fault.
 */
export class SnailJobParamsError extends Error {
  constructor(
    readonly executorName: string,
    readonly issues: readonly ParamsIssue[],
  ) {
    super(
      `Invalid job params for executor "${executorName}": ${issues
        .map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`))
        .join('; ')}`,
    );
    this.name = 'SnailJobParamsError';
  }
}
