/** Executor names of the Java client's built-in executors (snail-job-client-job-core …/executor/builtin/). */
export const BuiltinExecutorName = {
  HTTP: 'snailJobHttpExecutor',
  SHELL: 'snailJobShellJobExecutor',
  CMD: 'snailJobCMDJobExecutor',
} as const;
