import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alive, findExecutable, freePort, onExit, signal } from './processes.js';
import { REPO_ROOT } from './repo-root.js';

/**
 * SnailJob's own 2.0.2 PostgreSQL schema, read where CI keeps it: `../shared/snail-job-server/` beside the
 * clone (never copied into this repository). `SNAIL_SCHEMA_SQL` points elsewhere, e.g. at a download of
 * `doc/sql/snail_job_postgre.sql` from the upstream tag `vsj2.0.2`.
 */
export function schemaFile(): string {
  return (
    process.env.SNAIL_SCHEMA_SQL ?? path.join(REPO_ROOT, '../shared/snail-job-server/snail_job_postgre.sql')
  );
}

/** A throw-away PostgreSQL cluster on 127.0.0.1. */
export interface Postgres {
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly dir: string;
  /** The JDBC URL of {@link database}. */
  readonly jdbcUrl: string;
  /** Stops the cluster (by the PID in postmaster.pid) and removes its directory. Idempotent. */
  stop(): void;
}

function pgBin(name: string): string {
  const versioned = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin/${name}`)
    : [];
  const found = findExecutable(...versioned, name);
  if (!found) {
    throw new Error(
      `PostgreSQL's ${name} was not found (looked in /usr/lib/postgresql/*/bin and on PATH); ` +
        'install it with `apt-get install -y postgresql`',
    );
  }
  return found;
}

const NOBODY = { uid: 65534, gid: 65534 };

/**
 * `initdb` refuses to run as root: as root, the cluster belongs to `nobody` and its commands run through
 * `runuser`; otherwise as the current user.
 */
function asOwner(bin: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [bin, args];
  return ['runuser', ['-u', 'nobody', '--', bin, ...args]];
}

/**
 * Creates a cluster in a new temporary directory (`initdb -A trust`), starts it on 127.0.0.1 and a free port,
 * creates database `snail_job` and loads {@link schemaFile} into it. Whatever was started is stopped again
 * when this throws, and at process exit or on SIGINT/SIGTERM if {@link Postgres.stop} was never called.
 */
export async function startPostgres(): Promise<Postgres> {
  const schema = schemaFile();
  if (!fs.existsSync(schema)) {
    throw new Error(`SnailJob schema not found at ${schema} (set SNAIL_SCHEMA_SQL)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snail-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (process.getuid?.() === 0) fs.chownSync(dir, NOBODY.uid, NOBODY.gid);

  const postmasterPid = (): number | undefined => {
    try {
      return Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
    } catch {
      return undefined;
    }
  };
  let stopped = false;
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    const pid = postmasterPid();
    if (pid !== undefined && alive(pid)) {
      signal(pid, 'SIGQUIT'); // immediate shutdown: the cluster is thrown away anyway
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) execFileSync('sleep', ['0.05']);
      if (alive(pid)) signal(pid, 'SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const stop = onExit(stopNow);

  try {
    const port = await freePort();
    const run = (bin: string, args: string[]) => {
      const [cmd, argv] = asOwner(bin, args);
      execFileSync(cmd, argv, { stdio: 'pipe', timeout: 120_000 });
    };
    run(pgBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    run(pgBin('pg_ctl'), [
      '-D',
      data,
      '-l',
      logFile,
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=300`,
      'start',
    ]);
    const psql = pgBin('psql');
    const conn = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q'];
    execFileSync(psql, [...conn, '-d', 'postgres', '-c', 'CREATE DATABASE snail_job'], { stdio: 'pipe' });
    execFileSync(psql, [...conn, '-d', 'snail_job', '-f', schema], { stdio: 'pipe' });
    return {
      port,
      database: 'snail_job',
      user: 'postgres',
      dir,
      jdbcUrl: `jdbc:postgresql://127.0.0.1:${port}/snail_job`,
      stop,
    };
  } catch (e) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    stop();
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`PostgreSQL did not start: ${(e as Error).message}\n${stderr}${log}`, { cause: e });
  }
}
