import { parseWfContext, stringifyJson } from 'nestjs-snail-job/protocol';

/**
 * Merges context changes into a context (docs/protocol.md §5.10): key by key, later values override, `null`
 * values ignored. Both are JSON object texts; blank or invalid text counts as `{}`.
 */
export function mergeContext(base: string, ...changes: (string | undefined)[]): string {
  const merged = parseWfContext(base);
  for (const change of changes) {
    for (const [key, value] of Object.entries(parseWfContext(change))) {
      if (value !== null && value !== undefined) merged[key] = value;
    }
  }
  return stringifyJson(merged);
}
