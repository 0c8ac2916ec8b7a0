import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../../test/real-server/repo-root.js';

/** The repository root (test/real-server/repo-root.ts). */
export const ROOT = REPO_ROOT;

/** A compiled script of the peers bench, beside this file. */
export function peersScript(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}
