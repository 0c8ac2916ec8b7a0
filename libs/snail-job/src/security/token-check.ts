import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A constant-time check of the `SJ-TOKEN` header against the group token: both sides are hashed first, so
 * neither the content nor the length of the expected token leaks through timing.
 */
export function tokenCheck(expected: string): (presented: unknown) => boolean {
  const want = digest(expected);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), want);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
