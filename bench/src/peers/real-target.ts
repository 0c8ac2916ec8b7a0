import type { PeerTarget } from './target.js';

/**
 * The real SnailJob 2.0.2 server. Resolves with the reason when it cannot be started here.
 */
export function realTarget(_logDir: string): PeerTarget | string {
  return 'the real-server harness is not in this tree yet';
}
