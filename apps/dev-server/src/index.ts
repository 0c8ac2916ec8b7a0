/**
 * SnailJob 2.0.x server emulator for tests and demos: `startDevServer()` returns a {@link DevServer}.
 */
export { startDevServer, type DevServer } from './dev-server.js';
export type { DevServerGroup, DevServerOptions } from './dev-server.options.js';
export type { CreateJobInput, GroupInput, TriggerInput } from './api/job.input.js';
export type { CreateWorkflowInput, TriggerWorkflowInput } from './api/workflow.input.js';
export type { BatchView, JobView, LogEntryView, NodeView, TaskView, WorkflowBatchView } from './api/views.js';
export type { ApiId, IdInput } from './common/ids.js';
export type { FaultSpec } from './journal/fault-injector.service.js';
export type { JournalEntry, JournalQuery } from './journal/request-journal.service.js';
export type { ConfigPushResult } from './registry/config-push.service.js';
export type { ExecutorRecord } from './registry/executor.registry.js';
export { WaitTimeoutError } from './errors/wait-timeout.error.js';
