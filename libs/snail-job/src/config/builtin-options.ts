/** Options of the built-in `snailJobHttpExecutor` (docs/builtin-executors.md). */
export interface HttpExecutorOptions {
  /** HTTP status a response must have to succeed (the Java client accepts 200 only). @default 200 */
  expectedStatus?: number;
  /**
   * Also check a code in the response body, as the Java client's `snail-job.http-response` setting does:
   * `json` bodies must carry `field` equal to `code`, `text` bodies must be `code` itself. @default off
   */
  bodyCode?: {
    /** @default 200 */
    code?: number;
    /** JSON field holding the code. @default 'code' */
    field?: string;
    /** @default 'json' */
    responseType?: 'json' | 'text';
  };
}

/** Options of the built-in script executors `snailJobShellJobExecutor` and `snailJobCMDJobExecutor`. */
export interface ScriptExecutorOptions {
  /** Directory the scripts are written to before they run. @default '~/snailJob/worker' (the Java client's) */
  workspace?: string;
  /** After stop or timeout, how long the script's process group has after SIGTERM before SIGKILL. @default 5000 */
  killGraceMs?: number;
}

/** Which of the Java client's built-in executors this app registers. */
export interface BuiltinExecutorsOptions {
  /** Register `snailJobHttpExecutor`. @default false (env SNAIL_BUILTIN_HTTP) */
  http?: boolean | HttpExecutorOptions;
  /**
   * Register `snailJobShellJobExecutor` and `snailJobCMDJobExecutor`, which run scripts the job's params carry:
   * anyone who can edit jobs of the group can run code on this host. @default false (env SNAIL_BUILTIN_SCRIPTS)
   */
  scripts?: boolean | ScriptExecutorOptions;
}

/** Built-in executor settings after resolution; `undefined` means not registered. */
export interface ResolvedBuiltinExecutors {
  http:
    | (Required<Pick<HttpExecutorOptions, 'expectedStatus'>> & Pick<HttpExecutorOptions, 'bodyCode'>)
    | undefined;
  scripts: Required<ScriptExecutorOptions> | undefined;
}
