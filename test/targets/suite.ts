/**
 * What every two-target spec shares: the targets asked for (SNAIL_E2E_TARGETS, default `dev`), the real server
 * obtained once per spec file (with the banner when it cannot be), the start of a target, and the table of
 * trigger → final times printed at the end.
 */
import { describe, it } from 'vitest';
import { obtainServer, type ServerLaunch } from '../real-server/server-jar.js';
import { startDevTarget } from './dev-target.js';
import { startRealTarget } from './real-target.js';
import type { E2eTarget } from './target.js';

export type TargetName = 'dev' | 'real';

/** The targets SNAIL_E2E_TARGETS names (`dev,real`), default `dev`. */
export function requestedTargets(): TargetName[] {
  return (process.env.SNAIL_E2E_TARGETS ?? 'dev').split(',').map((s) => s.trim()) as TargetName[];
}

/** How the real server is launched, or why it cannot be. */
export interface RealLaunch {
  launch?: ServerLaunch;
  unavailable?: string[];
}

const realLog = (line: string) => console.info(`[real-server] ${line}`);

/** Obtains the real server when `requested` names it; prints the banner when it cannot be obtained. */
export function obtainRealLaunch(requested: readonly TargetName[]): RealLaunch {
  if (!requested.includes('real')) return {};
  const got = obtainServer(realLog);
  if (got.kind !== 'unavailable') return { launch: got };
  console.error(
    [
      '',
      '='.repeat(100),
      'THE REAL SNAILJOB SERVER COULD NOT BE OBTAINED — the two-target suite runs against the DEV SERVER ONLY.',
      ...got.errors.map((e) => `  ${e}`),
      'Set SNAIL_SERVER_JAR to a runnable snail-job-server 2.0.x jar to run it against the real server.',
      '='.repeat(100),
      '',
    ].join('\n'),
  );
  return { unavailable: got.errors };
}

/**
 * True when `name` is the real target and it could not be obtained: then a skipped test named after the error
 * stands for it, and the caller skips its describe.
 */
export function skipUnavailable(name: TargetName, real: RealLaunch): boolean {
  if (name !== 'real' || real.launch) return false;
  describe('against the real SnailJob server', () => {
    it.skip(`unavailable: ${real.unavailable?.[0] ?? 'not obtained'}`, () => undefined);
  });
  return true;
}

/** The describe title of a target's scenarios. */
export const targetTitle = (name: TargetName): string =>
  `against the ${name === 'dev' ? 'dev server' : 'real SnailJob 2.0.2 server'}`;

/** Starts the named target with one group. */
export function startTarget(
  name: TargetName,
  group: string,
  token: string,
  real: RealLaunch,
): Promise<E2eTarget> {
  return name === 'dev'
    ? startDevTarget(group, token)
    : startRealTarget(group, token, { launch: real.launch, log: realLog });
}

/** trigger → final status, per target and scenario. */
export type Timings = Record<string, Record<string, number>>;

/** Prints `timings` as the Markdown table docs/real-server.md shows. */
export function printTimings(timings: Timings): void {
  const names = Object.keys(timings);
  const scenarios = [...new Set(names.flatMap((n) => Object.keys(timings[n])))];
  const rows = scenarios.map(
    (s) =>
      `| ${s} | ${names.map((n) => (timings[n][s] === undefined ? '–' : `${timings[n][s]} ms`)).join(' | ')} |`,
  );
  console.info(
    [
      '',
      `| scenario (trigger → final status) | ${names.join(' | ')} |`,
      `| --- | ${names.map(() => '---').join(' | ')} |`,
      ...rows,
    ].join('\n'),
  );
}
