/**
 * A call to the SnailJob OpenAPI that did not succeed. `kind`:
 * - `refused`: the server answered `status: 0` (validation, unknown id, bad token); `message` is the server's;
 * - `http`: an HTTP status other than 2xx (wrong base URL, proxy);
 * - `unreachable`: no answer (connection refused, DNS, reset) — the server is down or the URL is wrong;
 * - `timeout`: no answer within `timeoutMs`; a non-idempotent call may still have taken effect;
 * - `invalid`: the answer was not the server's JSON envelope.
 */
export class SnailJobOpenApiError extends Error {
  override readonly name = 'SnailJobOpenApiError';
  readonly kind: 'refused' | 'http' | 'unreachable' | 'timeout' | 'invalid';
  /** `METHOD /path` as called, e.g. `POST /api/job/add`. */
  readonly path: string;
  /** HTTP status of the answer; undefined without one. */
  readonly httpStatus: number | undefined;
  /** The envelope's `status` (0) when the server refused the call. */
  readonly serverStatus: number | undefined;
  /** The server's own message, when it gave one. */
  readonly serverMessage: string | undefined;

  constructor(
    message: string,
    details: {
      kind: SnailJobOpenApiError['kind'];
      path: string;
      httpStatus?: number;
      serverStatus?: number;
      serverMessage?: string;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.path = details.path;
    this.httpStatus = details.httpStatus;
    this.serverStatus = details.serverStatus;
    this.serverMessage = details.serverMessage;
  }
}
