import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the built console lives: `apps/dev-console/dist`, three folders up from this file both in
 * `apps/dev-server/src/console/` (tests) and in `apps/dev-server/dist/console/` (the built server).
 */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../dev-console/dist/', import.meta.url));

/** True once `npm run build:console` has written the page. */
export function consoleBuilt(dir = CONSOLE_DIST): boolean {
  return existsSync(`${dir}index.html`);
}

/** What `GET /` answers while the console is not built. */
export const CONSOLE_NOT_BUILT = `The dev server's web console is not built (no ${CONSOLE_DIST}index.html). Run "npm run build:console" (or "npm run build") and reload; the HTTP API under /api works without it.`;
