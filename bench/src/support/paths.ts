import { fileURLToPath } from 'node:url';

/** The repository root (this file is bench/dist/support/paths.js once compiled). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A compiled bench script, e.g. `apps/bench-app.js`. */
export function benchScript(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/** File URL of a compiled bench script (for `--import`). */
export function benchScriptUrl(relative: string): string {
  return new URL(`../${relative}`, import.meta.url).href;
}
