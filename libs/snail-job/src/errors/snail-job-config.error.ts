/** Thrown at start-up when an option or `SNAIL_*` variable has an invalid value. */
export class SnailJobConfigError extends Error {
  constructor(
    /** The option path or environment variable, e.g. `SNAIL_SERVER_PORT` or `options.server.port`. */
    readonly source: string,
    /** The offending value as given. */
    readonly value: unknown,
    /** What a valid value looks like. */
    readonly expected: string,
  ) {
    super(`Invalid SnailJob configuration: ${source}=${JSON.stringify(value)} — expected ${expected}.`);
    this.name = 'SnailJobConfigError';
  }
}
