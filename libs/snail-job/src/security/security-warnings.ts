import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { DEFAULT_NAMESPACE, DEMO_TOKEN } from '../protocol/headers.js';
import { DEMO_NAMESPACE_IN_PRODUCTION, DEMO_TOKEN_IN_PRODUCTION } from '../snail-job.messages.js';

/**
 * Start-up warnings about insecure settings: the well-known demo token and namespace shipped with SnailJob are
 * fine on a laptop but must not be used when `NODE_ENV=production` (anyone who can reach the client's gRPC port
 * and knows the demo token can dispatch and stop jobs).
 */
export function securityWarnings(
  options: Pick<ResolvedSnailJobOptions, 'token' | 'namespace'>,
  env: Record<string, string | undefined> = process.env,
): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const warnings: string[] = [];
  if (options.token === DEMO_TOKEN) warnings.push(DEMO_TOKEN_IN_PRODUCTION);
  if (options.namespace === DEFAULT_NAMESPACE) warnings.push(DEMO_NAMESPACE_IN_PRODUCTION);
  return warnings;
}
