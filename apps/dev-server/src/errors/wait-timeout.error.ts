import { HttpException, HttpStatus } from '@nestjs/common';

/** A wait that timed out (HTTP 408); the response body — and `state` — is the current state. */
export class WaitTimeoutError<T extends object> extends HttpException {
  constructor(
    what: string,
    timeoutMs: number,
    readonly state: T,
  ) {
    super(state, HttpStatus.REQUEST_TIMEOUT);
    this.name = 'WaitTimeoutError';
    this.message = `${what} did not finish within ${timeoutMs} ms; current state: ${JSON.stringify(state)}`;
  }
}
