/** A decoded client → server call. */
export interface InboundCall {
  reqId: string;
  uri: string;
  /** The URI's path (what handlers are matched on). */
  path: string;
  headers: Record<string, string>;
  /** The body's argument list (`args[0]` is what handlers read). */
  args: unknown[];
}

/** A handler's answer; `data` is encoded as JSON text (`undefined`/`null` → `"null"`). */
export interface HandlerReply {
  status: 0 | 1;
  message?: string;
  data?: unknown;
}

/** Handles one client → server URI. Throwing an Error answers `status 0` with its message. */
export interface UriHandler {
  readonly path: string;
  handle(call: InboundCall): HandlerReply;
}

/** Injection token of the list of {@link UriHandler}s. */
export const URI_HANDLERS = Symbol('URI_HANDLERS');

/** Reads `args[0]` as an object, or undefined. */
export function firstArgObject(call: InboundCall): Record<string, unknown> | undefined {
  const a = call.args[0];
  return a !== null && typeof a === 'object' && !Array.isArray(a)
    ? (a as Record<string, unknown>)
    : undefined;
}
