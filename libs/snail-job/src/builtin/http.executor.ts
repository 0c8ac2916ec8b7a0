import { Logger } from '@nestjs/common';
import { ExecuteResult } from '../job/execute-result.js';
import type { JobArgs } from '../job/job-args.js';
import { SnailJobLog } from '../logging/snail-job-log.js';
import { parseJson, stringifyJson } from '../protocol/json.js';
import type { ResolvedBuiltinExecutors } from '../config/builtin-options.js';

/** The job params of `snailJobHttpExecutor`, as the Java client reads them (AbstractHttpExecutor.HttpParams). */
export interface HttpJobParams {
  method?: string;
  url?: string;
  mediaType?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Seconds. */
  timeout?: number;
}

const DEFAULT_TIMEOUT_SECONDS = 60;
const WITH_BODY = new Set(['POST', 'PUT', 'DELETE']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const logger = new Logger('SnailJob');

/** Lines the Java executor logs remotely carry this prefix. */
const remote = {
  info: (message: string, ...args: unknown[]) => SnailJobLog.REMOTE.info(`[snail-job] ${message}`, ...args),
  warn: (message: string, ...args: unknown[]) => SnailJobLog.REMOTE.warn(`[snail-job] ${message}`, ...args),
};

/**
 * `snailJobHttpExecutor`: one HTTP request described by the job's params (method, url, mediaType, body, headers,
 * timeout in seconds), the workflow context sent along as headers; success when the status is the expected one
 * (and the body code matches, when configured), with the response body as the result. Follows
 * snail-job-client-job-core/…/executor/builtin/AbstractHttpExecutor.java.
 */
export async function runHttpExecutor(
  args: JobArgs,
  options: NonNullable<ResolvedBuiltinExecutors['http']>,
): Promise<ExecuteResult> {
  const params = parseParams(args.jobParams);
  if (params === undefined) {
    const message = 'HttpParams is null. Verify jobParam configuration.';
    remote.warn(message);
    return ExecuteResult.failure(message, message);
  }
  if (typeof params === 'string') return ExecuteResult.failure(params, params);
  if (!params.url || params.url.trim() === '') throw new Error('URL cannot be empty.');
  const url = params.url.startsWith('http') ? params.url : `http://${params.url}`;
  const method = (params.method || 'GET').toUpperCase();
  if (!METHODS.has(method)) {
    const message = `snailJobHttpExecutor supports GET, POST, PUT and DELETE, not "${method}"`;
    return ExecuteResult.failure(message, message);
  }
  let body = params.body;
  if (method !== 'GET' && (body === undefined || body === null || body === '')) {
    body = '{}';
    remote.warn('Using default request body: %s', body);
  }
  let mediaType = params.mediaType;
  if (method !== 'GET' && !mediaType && isJson(body)) {
    mediaType = 'application/json';
    remote.warn("Using 'application/json' as media type");
  }
  const timeoutSeconds =
    typeof params.timeout === 'number' && params.timeout > 0 ? params.timeout : DEFAULT_TIMEOUT_SECONDS;
  remote.info(
    'Request URL: %s\nUsing request method: %s\nRequest timeout: %d seconds',
    url,
    method,
    timeoutSeconds,
  );

  const headers = new Headers();
  for (const [name, value] of Object.entries(params.headers ?? {})) headers.set(name, String(value));
  // The workflow context travels as headers (AbstractHttpExecutor#buildhutoolRequest).
  for (const [key, value] of Object.entries(args.wfContext)) headers.set(key, contextHeader(value));
  const withBody = WITH_BODY.has(method) && body !== undefined;
  if (withBody && mediaType) headers.set('Content-Type', mediaType);

  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method,
      headers,
      ...(withBody ? { body } : {}),
      signal: AbortSignal.any([args.signal, AbortSignal.timeout(timeoutSeconds * 1000)]),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no response within ${timeoutSeconds} s`
        : error instanceof Error
          ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`
          : String(error);
    throw new Error(`[snail-job] HTTP internal executor failed: ${method} ${url}: ${reason}`, {
      cause: error,
    });
  }
  return checkResponse(method, url, status, text, options);
}

function checkResponse(
  method: string,
  url: string,
  status: number,
  body: string,
  options: NonNullable<ResolvedBuiltinExecutors['http']>,
): ExecuteResult {
  if (status !== options.expectedStatus) {
    logger.error(`${method} request to URL: ${url} failed with code: ${status}, response body: ${body}`);
    // The reason is the result as well (the Java client's result is 'HTTP request failed' alone): the SnailJob
    // server stores only the result as the task's result_message, never the message (JobExecutorResultActor).
    const message = `HTTP request failed: ${method} ${url} answered ${status}, expected ${options.expectedStatus}`;
    return ExecuteResult.failure(message, message);
  }
  const check = options.bodyCode;
  if (!check) return ExecuteResult.success(body);
  const code = check.code ?? 200;
  if ((check.responseType ?? 'json') === 'text') {
    if (body === '') return failed('the responseType is text, but the response body is empty');
    if (body !== String(code))
      return failed('the response status code is not equal to the specified status code');
    return ExecuteResult.success(body);
  }
  const field = check.field || 'code';
  let parsed: unknown;
  try {
    parsed = parseJson(body);
  } catch {
    parsed = undefined;
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    Object.keys(parsed).length === 0
  ) {
    return failed('the responseType is json, but the response body fails to validate json or json is empty');
  }
  if (!(field in parsed))
    return failed(`the responseType is json, but there is no status code field: ${field}`);
  if ((parsed as Record<string, unknown>)[field] !== code) {
    return failed('the response status code is not equal to the specified status code');
  }
  return ExecuteResult.success(body);
}

function failed(message: string): ExecuteResult {
  logger.error(message);
  return ExecuteResult.failure(message, message);
}

/** The params object, `undefined` when there are none, or a message when they are not a JSON object. */
function parseParams(jobParams: string | undefined): HttpJobParams | string | undefined {
  if (jobParams === undefined || jobParams.trim() === '' || jobParams.trim() === 'null') return undefined;
  let parsed: unknown;
  try {
    parsed = parseJson(jobParams);
  } catch (error) {
    return `snailJobHttpExecutor params are not JSON: ${(error as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return 'snailJobHttpExecutor params must be a JSON object such as {"method":"GET","url":"http://…"}';
  }
  return parsed as HttpJobParams;
}

function isJson(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    parseJson(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A workflow context value as a header: strings as they are, anything else as JSON; text a header cannot carry
 * (the Java client checks for Chinese characters; HTTP headers hold Latin-1 only) is sent Base64-encoded (UTF-8).
 */
export function contextHeader(value: unknown): string {
  const text = typeof value === 'string' ? value : stringifyJson(value);
  return /^[\u0020-\u007e\u00a0-\u00ff\t]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('base64');
}
