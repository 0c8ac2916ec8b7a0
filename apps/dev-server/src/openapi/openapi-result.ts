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

/**
 * Properties in alphabetical order at every level, as the 2.0.2 server writes them (Spring Boot 4's Jackson 3
 * sorts properties alphabetically by default; seen on the real server).
 */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)])) as T;
}

export function ok<T>(data: T): OpenApiResult<T> {
  return { data: sortKeys(data), message: SUCCEEDED, status: 1 };
}

export function failed(message: string): OpenApiResult<never> {
  return { data: null, message, status: 0 };
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
