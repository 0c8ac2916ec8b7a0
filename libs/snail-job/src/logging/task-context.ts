import { AsyncLocalStorage } from 'node:async_hooks';
import type { TaskLog } from './task-log.js';
import type { DispatchJobRequest } from '../protocol/payloads.js';

/** What code running inside a task can find through the async context. */
export interface TaskContext {
  readonly request: DispatchJobRequest;
  readonly executorName: string;
  readonly className: string;
  readonly methodName: string;
  /** The task's remote log (SnailJobLog.REMOTE, captured Nest Logger calls). */
  readonly log?: TaskLog;
}

/** The async context that follows a task through `await`, timers, `Promise.all` and emitters created in it. */
export const taskContextStorage = new AsyncLocalStorage<TaskContext>();

/** The task the caller runs in, if any. */
export function currentTask(): TaskContext | undefined {
  return taskContextStorage.getStore();
}
