import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, benchScript } from '../support/paths.js';
import { ManagedProcess } from './process.js';

/**
 * The clients under comparison: ours (bench/src/peers/node-peer.ts), the Python client from PyPI and the Java
 * client from Maven Central, each running the same executors (peers/python/peer.py lists them). Each client gets a
 * group of its own, so a server never routes one client's job to another.
 */
export interface PeerClient {
  /** `node`, `python`, `java`: the word the command line and the executors' context keys use. */
  readonly key: string;
  readonly name: string;
  /** The dispatch's executorType the client accepts (the Python client refuses anything but 2). */
  readonly executorType: number;
  readonly group: string;
  readonly token: string;
  /** Installs what the client needs; resolves with a reason when it cannot run here. */
  prepare(): string | undefined;
  /**
   * Set when the client starts and registers but cannot execute what this server dispatches: the bench then
   * measures start-up, registration and memory, and records what one dispatch answers.
   */
  readonly dispatchBlocked?: string;
  spawn(env: Record<string, string>, logDir: string): ManagedProcess;
}

/** Where the Python venv lives: outside the repository, reused by later runs. */
export function peersCacheDir(): string {
  return process.env.PEERS_CACHE_DIR ?? join(homedir(), '.cache', 'nestjs-snail-job-peers');
}

function run(command: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): void {
  execFileSync(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
}

function token(name: string): string {
  return `SJ_peers_${name}_0123456789abcdef`;
}

function spawnIn(
  label: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  logDir: string,
  cwd?: string,
): ManagedProcess {
  const log = createWriteStream(join(logDir, `${label}.log`), { flags: 'a' });
  return new ManagedProcess(label, command, args, { env: { ...process.env, ...env }, cwd, log });
}

export const nodeClient: PeerClient = {
  key: 'node',
  name: 'nestjs-snail-job',
  executorType: 1,
  group: 'peers_node',
  token: token('node'),
  prepare: () => (existsSync(benchScript('peers/node-peer.js')) ? undefined : 'bench not built'),
  spawn: (env, logDir) =>
    spawnIn('node-peer', process.execPath, [benchScript('peers/node-peer.js')], env, logDir),
};

const PYTHON_DIR = join(REPO_ROOT, 'peers/python');

export const pythonClient: PeerClient = {
  key: 'python',
  name: 'snail-job-python',
  executorType: 2,
  group: 'peers_python',
  token: token('python'),
  prepare: () => {
    const venv = join(peersCacheDir(), 'python-venv');
    const requirements = readFileSync(join(PYTHON_DIR, 'requirements.txt'), 'utf8');
    const marker = join(venv, 'requirements.installed');
    if (existsSync(marker) && readFileSync(marker, 'utf8') === requirements) return undefined;
    try {
      mkdirSync(peersCacheDir(), { recursive: true });
      run(process.env.PYTHON ?? 'python3', ['-m', 'venv', venv]);
      run(join(venv, 'bin/pip'), [
        'install',
        '-q',
        '--disable-pip-version-check',
        '-r',
        join(PYTHON_DIR, 'requirements.txt'),
      ]);
      writeFileSync(marker, requirements);
      return undefined;
    } catch (e) {
      return `could not install ${requirements.trim()}: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`;
    }
  },
  spawn: (env, logDir) => {
    // The client writes log/snailjob.log under its working directory.
    const cwd = join(logDir, 'python-cwd');
    mkdirSync(cwd, { recursive: true });
    const python = join(peersCacheDir(), 'python-venv/bin/python');
    return spawnIn(
      'python-peer',
      python,
      [join(PYTHON_DIR, 'peer.py')],
      { ...env, PYTHONUNBUFFERED: '1' },
      logDir,
      cwd,
    );
  },
};

const JAVA_DIR = join(REPO_ROOT, 'peers/java');
const JAVA_JAR = join(JAVA_DIR, 'target/java-peer.jar');

export const javaClient: PeerClient = {
  key: 'java',
  name: 'snail-job-client 1.9.0 (Java)',
  executorType: 1,
  group: 'peers_java',
  token: token('java'),
  // docs/benchmarks-peers.md: 2.0.x is not on Maven Central; 1.9.0 registers with a 2.0.x server but refuses
  // its dispatches (the plain ObjectMapper of SnailDispatcherRequestHandler rejects the new jobBizId field).
  dispatchBlocked:
    'the Java client on Maven Central (1.9.0) refuses every 2.0.x dispatch: Unrecognized field "jobBizId" (class com.aizuda.snailjob.model.request.DispatchJobRequest)',
  prepare: () => {
    if (existsSync(JAVA_JAR)) return undefined;
    try {
      run('mvn', ['-B', '-q', 'package', '-DskipTests'], JAVA_DIR);
      return existsSync(JAVA_JAR) ? undefined : 'mvn package made no jar';
    } catch (e) {
      return `mvn package failed: ${String((e as { stderr?: Buffer }).stderr ?? e)
        .trim()
        .slice(0, 300)}`;
    }
  },
  spawn: (env, logDir) =>
    spawnIn(
      'java-peer',
      process.env.PEERS_JAVA ?? 'java',
      ['-jar', JAVA_JAR],
      { ...env, SNAIL_WORKSPACE: join(logDir, 'java-workspace') },
      logDir,
    ),
};

export const ALL_CLIENTS = [nodeClient, pythonClient, javaClient];
