import { OPTIONAL_PEER_MISSING } from '../snail-job.messages.js';

/** A part of the library that needs an optional peer package, and the setting that switches it off. */
export interface OptionalPart {
  /** E.g. `health`. */
  part: string;
  /** E.g. `option health / SNAIL_HEALTH_PATH`. */
  setting: string;
}

/**
 * Rejects with an Error naming the package to install and the setting that switches the part off, when
 * `load` (a dynamic `import()` of an optional peer) fails. The library never imports an optional peer at
 * the top level of a file the root entry reaches: only the parts that are on load theirs.
 */
export async function loadOptionalPeer<T>(
  pkg: string,
  part: OptionalPart,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(OPTIONAL_PEER_MISSING(part.part, part.setting, pkg, detail), { cause: error });
  }
}

/**
 * A promise Nest awaits later (in `imports`, or an async factory) may reject before anyone listens; marking
 * it handled keeps Node from reporting an unhandled rejection, and whoever awaits it still gets the error.
 */
export function handledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
