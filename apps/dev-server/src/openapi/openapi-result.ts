/**
 * The server's response envelope (`snail-job-common-core/.../model/Result.java`), added to every OpenAPI answer by
 * `snail-job-server-service/.../handler/GlobalRestfulResponseBodyAdvice.java`; failures are shaped by
 * `.../handler/RestExceptionHandler.java`. Every answer is HTTP 200.
 */
export interface OpenApiResult<T> {
  /** 1 success, 0 failure. */
  status: number;
  message: string | null;
  data: T | null;
}

/** Message of a successful call. */
export const SUCCEEDED = 'Request succeeded';
/** `AbstractError.PARAM_INCORRECT`: unreadable body, missing query parameter, type mismatch, wrong media type. */
export const PARAM_INCORRECT = 'Parameter exception';
/** Any exception that is not a SnailJob one. */
export const SYSTEM_EXCEPTION = 'System exception';

export function ok<T>(data: T): OpenApiResult<T> {
  return { status: 1, message: SUCCEEDED, data };
}

export function failed(message: string): OpenApiResult<never> {
  return { status: 0, message, data: null };
}

/** A failure the server reports with its own message (`SnailJobServerException`, validation). */
export class OpenApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiError';
  }
}

/** An unexpected exception on the Java server (NPE, parse error…): answered as "System exception". */
export class OpenApiSystemError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'OpenApiSystemError';
  }
}

/** An unreadable request (body, query or media type): answered as "Parameter exception". */
export class OpenApiParamError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'OpenApiParamError';
  }
}
