/**
 * `text` as an http(s) base URL without trailing slashes, or undefined when it is not one. Shared by the
 * `server.openApiUrl` setting and the `SnailJobOpenApi` constructor (which can be used without the module).
 */
export function httpBaseUrl(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? text.replace(/\/+$/, '') : undefined;
}
