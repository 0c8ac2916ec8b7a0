/** Client → server URIs of the SnailJob job protocol. */
export const ServerUri = {
  BEAT: '/beat',
  REGISTER_EXECUTORS: '/register/job/executors',
  SYNC_VERSION: '/sync/version',
  REPORT_RESULT: '/report/dispatch/result',
  MAP_TASK: '/batch/report/job/map/task/v1',
  REPORT_LOG: '/batch/server/report/log',
} as const;

/** Server → client URIs of the SnailJob job protocol. */
export const ClientUri = {
  DISPATCH: '/job/dispatch/v1',
  STOP: '/job/stop/v1',
  SYNC_VERSION: '/sync/version',
} as const;

/** Retry-module URIs a job-only client answers with a clear refusal. */
export const RETRY_MODULE_URIS = [
  '/retry/dispatch/v1',
  '/retry/stop/v1',
  '/retry/callback/v1',
  '/retry/generate/idempotent-id/v1',
  '/retry/deserialize/args/v1',
] as const;

/** The path part of a URI (SnailJob matches on the path only and ignores a query string). */
export function uriPath(uri: string): string {
  const q = uri.search(/[?#]/);
  return q === -1 ? uri : uri.slice(0, q);
}
