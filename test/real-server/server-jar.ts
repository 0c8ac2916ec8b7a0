import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findExecutable } from './processes.js';

/** The SnailJob server release these tests are written against. */
export const SERVER_VERSION = '2.0.2';
const GROUP = 'com.aizuda';
const ARTIFACT = 'snail-job-server-starter';
/** Main class of the server (`snail-job-server-starter/pom.xml`, spring-boot-maven-plugin). */
export const SERVER_MAIN_CLASS = 'com.aizuda.snailjob.server.SnailJobServerApplication';

/** How the server is launched: `java -jar <jar>` or `java -cp <dir>/* <main>`. */
export type ServerLaunch =
  { kind: 'jar'; jar: string; source: string } | { kind: 'classpath'; libDir: string; source: string };

/** Why the server could not be had; `errors` are the exact lines Maven printed. */
export interface ServerUnavailable {
  kind: 'unavailable';
  errors: string[];
}

function mavenErrors(output: string): string[] {
  const lines = output
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => /^\[ERROR\]/.test(l) && !/^\[ERROR\]\s*(->|$|To see|Re-run|For more|\[Help)/.test(l));
  return lines.length > 0 ? lines : output.trim().split('\n').slice(-5);
}

function m2Repository(): string {
  return process.env.MAVEN_REPO_LOCAL ?? path.join(os.homedir(), '.m2', 'repository');
}

function runMaven(mvn: string, args: string[], cwd: string): { ok: boolean; output: string } {
  const r = spawnSync(mvn, ['-B', '-ntp', ...args], { cwd, encoding: 'utf8', timeout: 15 * 60_000 });
  return {
    ok: r.status === 0,
    output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`,
  };
}

/** A small pom whose only dependency is the server starter (for `dependency:copy-dependencies`). */
function throwAwayPom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.nestjs-snail-job</groupId>
  <artifactId>snail-job-server-classpath</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>${GROUP}</groupId>
      <artifactId>${ARTIFACT}</artifactId>
      <version>${SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * Obtains a runnable SnailJob server, in this order:
 * 1. `SNAIL_SERVER_JAR`: a runnable Spring Boot jar of the 2.0.x server (from the official image or release);
 * 2. Maven Central: `com.aizuda:snail-job-server-starter:2.0.2`, the jar with classifier `exec`;
 * 3. Maven Central: the plain jar and its dependencies, via a throw-away pom and `dependency:copy-dependencies`
 *    into a cache directory (`SNAIL_SERVER_CACHE`, default `~/.cache/nestjs-snail-job`), run with `java -cp`.
 * When the registry serves neither, answers `unavailable` with Maven's exact error lines.
 */
export function obtainServer(
  log: (line: string) => void = () => undefined,
): ServerLaunch | ServerUnavailable {
  const fromEnv = process.env.SNAIL_SERVER_JAR;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv))
      return { kind: 'unavailable', errors: [`SNAIL_SERVER_JAR=${fromEnv} does not exist`] };
    return { kind: 'jar', jar: fromEnv, source: 'SNAIL_SERVER_JAR' };
  }
  const versionDir = path.join(m2Repository(), ...GROUP.split('.'), ARTIFACT, SERVER_VERSION);
  const execJar = path.join(versionDir, `${ARTIFACT}-${SERVER_VERSION}-exec.jar`);
  if (fs.existsSync(execJar)) return { kind: 'jar', jar: execJar, source: 'Maven (cached exec jar)' };
  const cache = process.env.SNAIL_SERVER_CACHE ?? path.join(os.homedir(), '.cache', 'nestjs-snail-job');
  const libDir = path.join(cache, `snail-job-server-${SERVER_VERSION}`, 'lib');
  if (fs.existsSync(path.join(libDir, `${ARTIFACT}-${SERVER_VERSION}.jar`))) {
    return { kind: 'classpath', libDir, source: 'Maven (cached dependencies)' };
  }

  const mvn = findExecutable('mvn');
  if (!mvn) return { kind: 'unavailable', errors: ['Maven (mvn) is not installed'] };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'snail-mvn-'));
  try {
    const coords = `${GROUP}:${ARTIFACT}:${SERVER_VERSION}`;
    log(`fetching ${coords}:jar:exec from Maven Central`);
    const exec = runMaven(
      mvn,
      ['dependency:get', '-Dtransitive=false', `-Dartifact=${coords}:jar:exec`],
      work,
    );
    if (exec.ok && fs.existsSync(execJar))
      return { kind: 'jar', jar: execJar, source: 'Maven Central (exec jar)' };
    const errors = mavenErrors(exec.output);

    log(`no exec jar; fetching ${coords} and its dependencies`);
    fs.writeFileSync(path.join(work, 'pom.xml'), throwAwayPom());
    const copy = runMaven(
      mvn,
      ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libDir}`],
      work,
    );
    if (copy.ok && fs.existsSync(path.join(libDir, `${ARTIFACT}-${SERVER_VERSION}.jar`))) {
      return { kind: 'classpath', libDir, source: 'Maven Central (jar + dependencies)' };
    }
    fs.rmSync(path.dirname(libDir), { recursive: true, force: true });
    return { kind: 'unavailable', errors: [...errors, ...mavenErrors(copy.output)] };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function javaMajor(java: string): number {
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)/.exec(`${r.stderr}${r.stdout}`);
  return m ? Number(m[1]) : 0;
}

/**
 * A `java` of version 21 or newer: `$JAVA_HOME/bin/java` if it qualifies, else the newest JDK under
 * /usr/lib/jvm, else `java` on PATH. Throws naming what was found.
 */
export function findJava(): string {
  const candidates: string[] = [];
  if (process.env.JAVA_HOME) candidates.push(path.join(process.env.JAVA_HOME, 'bin', 'java'));
  if (fs.existsSync('/usr/lib/jvm')) {
    for (const d of fs.readdirSync('/usr/lib/jvm').sort().reverse())
      candidates.push(`/usr/lib/jvm/${d}/bin/java`);
  }
  candidates.push('java');
  const seen: string[] = [];
  for (const c of candidates) {
    const bin = findExecutable(c);
    if (!bin) continue;
    const major = javaMajor(bin);
    seen.push(`${bin} (${major || '?'})`);
    if (major >= 21) return bin;
  }
  throw new Error(`SnailJob ${SERVER_VERSION} needs Java 21 or newer; found ${seen.join(', ') || 'none'}`);
}

/** `java` arguments that start {@link ServerLaunch}. */
export function launchArgs(launch: ServerLaunch): string[] {
  return launch.kind === 'jar'
    ? ['-jar', launch.jar]
    : ['-cp', `${launch.libDir}${path.sep}*`, SERVER_MAIN_CLASS];
}

/** `mvn --version`'s first line, for reports. */
export function mavenVersion(): string | undefined {
  const mvn = findExecutable('mvn');
  if (!mvn) return undefined;
  try {
    return execFileSync(mvn, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}
