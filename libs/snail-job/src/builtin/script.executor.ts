import { AsyncResource } from 'node:async_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import { ExecuteResult } from '../job/execute-result.js';
import type { JobArgs } from '../job/job-args.js';
import { SnailJobLog } from '../logging/snail-job-log.js';
import { parseJson } from '../protocol/json.js';
import type { ResolvedBuiltinExecutors } from '../config/builtin-options.js';

/** The job params of the script executors (AbstractScriptExecutor.ScriptParams). */
export interface ScriptJobParams {
  /** `SCRIPT_CODE` (the script itself), `LOCAL_SCRIPT` (a path on this host) or `DOWNLOAD` (a URL). */
  method?: string;
  /** The script, its path, or its URL, by `method`. */
  scriptParams?: string;
  /** Charset of the script's output (and of `SCRIPT_CODE`). @default 'utf-8' */
  charset?: string;
}

/** What differs between the shell and the CMD executor. */
export interface ScriptKind {
  readonly label: string;
  readonly fileName: (args: JobArgs) => string;
  readonly command: (path: string) => { file: string; args: string[] };
  /** A message when this platform cannot run the kind. */
  readonly unsupported: () => string | undefined;
}

/** `sh <file>` (AbstractShellExecutor.java). */
export const SHELL: ScriptKind = {
  label: 'shell',
  fileName: (args) => `shell_${String(args.jobId)}_${String(args.taskId)}.sh`,
  command: (path) => ({ file: 'sh', args: [path] }),
  unsupported: () => (process.platform === 'win32' ? 'Shell scripts cannot run on Windows.' : undefined),
};

/** `cmd.exe /c <file>` (AbstractCMDExecutor.java). */
export const CMD: ScriptKind = {
  label: 'CMD',
  fileName: (args) => `cmd_${String(args.jobId)}_${String(args.taskId)}.bat`,
  command: (path) => ({ file: 'cmd.exe', args: ['/c', path] }),
  unsupported: () =>
    process.platform === 'win32'
      ? undefined
      : `CMD scripts run on Windows only (this host is ${process.platform}).`,
};

const DOWNLOAD_TIMEOUT_MS = 300_000;

const remote = {
  info: (message: string, ...args: unknown[]) => SnailJobLog.REMOTE.info(`[snail-job] ${message}`, ...args),
  warn: (message: string, ...args: unknown[]) => SnailJobLog.REMOTE.warn(`[snail-job] ${message}`, ...args),
};

/**
 * Runs the script a job's params carry (follows AbstractScriptExecutor.java): written to the workspace, run as
 * `sh <file>` / `cmd.exe /c <file>` with an argument list (no shell command line is ever built from the params),
 * every output line shipped to the task's remote log as it comes (stdout INFO, stderr WARN), success on exit
 * code 0. Stop and timeout kill the script's whole process group (SIGTERM, then SIGKILL after `killGraceMs`).
 */
export async function runScriptExecutor(
  kind: ScriptKind,
  args: JobArgs,
  options: NonNullable<ResolvedBuiltinExecutors['scripts']>,
): Promise<ExecuteResult> {
  const params = parseParams(args.jobParams);
  if (typeof params === 'string') {
    remote.warn(params);
    return ExecuteResult.failure(params, params);
  }
  remote.info('ScriptProcessor start to process, params: %j', params);
  const unsupported = kind.unsupported();
  if (unsupported) {
    remote.warn(unsupported);
    return ExecuteResult.failure(unsupported, unsupported);
  }
  const charset = decoderFor(params.charset);
  await mkdir(options.workspace, { recursive: true });
  const path = join(options.workspace, kind.fileName(args));
  try {
    await prepare(path, params, args.signal);
    remote.info('Generate executable file successfully, path: %s', path);
    if (process.platform !== 'win32') await chmod(path, 0o755);
    return await execute(kind, path, charset, args.signal, options.killGraceMs);
  } finally {
    await rm(path, { force: true });
  }
}

async function prepare(
  path: string,
  params: Required<Pick<ScriptJobParams, 'method' | 'scriptParams'>>,
  signal: AbortSignal,
): Promise<void> {
  switch (params.method) {
    case 'SCRIPT_CODE':
      await writeFile(path, params.scriptParams, 'utf8');
      return;
    case 'LOCAL_SCRIPT':
      if (!existsSync(params.scriptParams)) throw new Error(`File not found: {${params.scriptParams}}`);
      await copyFile(params.scriptParams, path);
      return;
    case 'DOWNLOAD': {
      const response = await fetch(params.scriptParams, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]),
      });
      if (!response.ok)
        throw new Error(
          `[snail-job] Script download failed: ${params.scriptParams} answered ${response.status}`,
        );
      await writeFile(path, Buffer.from(await response.arrayBuffer()));
      return;
    }
    default:
      throw new Error(
        `[snail-job] Please correctly choose the script execution method: "${params.method}" is not DOWNLOAD, SCRIPT_CODE or LOCAL_SCRIPT.`,
      );
  }
}

function execute(
  kind: ScriptKind,
  path: string,
  decoder: () => TextDecoder,
  signal: AbortSignal,
  killGraceMs: number,
): Promise<ExecuteResult> {
  const { file, args } = kind.command(path);
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      // detached: the script leads its own process group, so stop can end everything it started.
      child = spawn(file, args, {
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      reject(new Error(`[snail-job] Script execution failed: ${(error as Error).message}`, { cause: error }));
      return;
    }
    const flushOut = pipeLines(child.stdout!, decoder(), (line) => SnailJobLog.REMOTE.info(line));
    const flushErr = pipeLines(child.stderr!, decoder(), (line) => SnailJobLog.REMOTE.warn(line));
    let killTimer: NodeJS.Timeout | undefined;
    // Bound to the task's async context: the abort fires from the stop call, outside it.
    const onAbort = AsyncResource.bind(() => {
      remote.warn(
        'Task %s: terminating the script (process group %d)',
        String(signal.reason),
        child.pid ?? -1,
      );
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), killGraceMs);
      killTimer.unref();
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error(`[snail-job] Script execution failed: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, exitSignal) => {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      flushOut();
      flushErr();
      if (code === 0) {
        resolve(ExecuteResult.success('Script executed successfully.'));
        return;
      }
      const how = exitSignal ? `killed by ${exitSignal}` : `exit code ${String(code)}`;
      resolve(ExecuteResult.failure('Script execution failed.', `${kind.label} script failed (${how})`));
    });
  });
}

/** Ends the script's process group (POSIX) or its process tree (Windows). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    } else {
      process.kill(-child.pid, signal);
    }
  } catch {
    // Already gone.
  }
}

/** Splits a stream into lines (any charset the runtime's TextDecoder knows); returns a flush for the last one. */
function pipeLines(
  stream: NodeJS.ReadableStream,
  decoder: TextDecoder,
  line: (text: string) => void,
): () => void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = pending.indexOf('\n')) !== -1) {
      line(pending.slice(0, i).replace(/\r$/, ''));
      pending = pending.slice(i + 1);
    }
  });
  return () => {
    pending += decoder.decode();
    if (pending !== '') line(pending.replace(/\r$/, ''));
    pending = '';
  };
}

function decoderFor(charset: string | undefined): () => TextDecoder {
  if (charset && charset.trim() !== '') {
    try {
      new TextDecoder(charset);
      return () => new TextDecoder(charset);
    } catch {
      remote.warn('Invalid charset: %s. Using UTF-8.', charset);
    }
  }
  return () => new TextDecoder('utf-8');
}

function parseParams(
  jobParams: string | undefined,
): (Required<Pick<ScriptJobParams, 'method' | 'scriptParams'>> & ScriptJobParams) | string {
  if (jobParams === undefined || jobParams.trim() === '' || jobParams.trim() === 'null') {
    return 'ScriptParams is null, please check jobParam configuration.';
  }
  let parsed: unknown;
  try {
    parsed = parseJson(jobParams);
  } catch (error) {
    return `Script executor params are not JSON: ${(error as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return 'Script executor params must be a JSON object such as {"method":"SCRIPT_CODE","scriptParams":"echo hi"}';
  }
  const p = parsed as ScriptJobParams;
  if (typeof p.method !== 'string' || typeof p.scriptParams !== 'string' || p.scriptParams === '') {
    return 'Script executor params need "method" (SCRIPT_CODE, LOCAL_SCRIPT or DOWNLOAD) and "scriptParams"';
  }
  return { ...p, method: p.method.toUpperCase(), scriptParams: p.scriptParams };
}
