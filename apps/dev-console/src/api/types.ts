// The dev server's own view types, imported as types only (erased from the bundle), so the page and the
// API cannot drift apart.
export type {
  BatchView,
  JobView,
  LogEntryView,
  NodeView,
  TaskView,
  WorkflowBatchView,
} from '../../../dev-server/src/api/views.js';
export type { ApiId } from '../../../dev-server/src/common/ids.js';
export type { CreateJobInput } from '../../../dev-server/src/api/job.input.js';
export type { WorkflowView } from '../../../dev-server/src/console/console-workflows.service.js';
export type { ExecutorRecord } from '../../../dev-server/src/registry/executor.registry.js';

/** `GET /api/groups` rows. */
export interface GroupView {
  namespaceId: string;
  groupName: string;
}
