import type { RegistrationState } from '../registration/registrar.js';
import {
  HEALTH_HEARTBEAT_EXPIRED,
  HEALTH_NO_HEARTBEAT,
  HEALTH_NOT_SERVING,
  HEALTH_SERVER_UNREACHABLE,
  HEALTH_TOKEN_REJECTED,
} from '../snail-job.messages.js';

/** What the health verdict is computed from. */
export interface HealthInputs {
  /** The client's gRPC server is bound and serving. */
  serving: boolean;
  /** The registrar's view of the server. */
  registration: Readonly<RegistrationState>;
  /** Epoch ms now. */
  now: number;
  /** A successful heartbeat older than this is no longer good enough. */
  expiryMs: number;
}

/** `up`, or `down` with the reason. */
export type HealthVerdict = { up: true } | { up: false; reason: string };

/**
 * Up when the gRPC server serves and a heartbeat succeeded within `expiryMs`. A token rejection is down at
 * once (it will not heal by itself); a transport error is tolerated until the last good beat expires.
 */
export function assessHealth({ serving, registration, now, expiryMs }: HealthInputs): HealthVerdict {
  if (!serving) return { up: false, reason: HEALTH_NOT_SERVING };
  const { lastBeatOkAt, lastError, tokenRejected } = registration;
  if (tokenRejected) return { up: false, reason: HEALTH_TOKEN_REJECTED(lastError ?? 'unknown') };
  const fresh = lastBeatOkAt > 0 && now - lastBeatOkAt <= expiryMs;
  if (fresh) return { up: true };
  if (lastError !== undefined) return { up: false, reason: HEALTH_SERVER_UNREACHABLE(lastError) };
  if (lastBeatOkAt === 0) return { up: false, reason: HEALTH_NO_HEARTBEAT };
  return { up: false, reason: HEALTH_HEARTBEAT_EXPIRED(now - lastBeatOkAt, expiryMs) };
}
