import { DEFAULT_NAMESPACE } from 'nestjs-snail-job/protocol';
import type { BatchView, TaskView } from '../../apps/dev-server/src/index.js';
import { startTestDevServer, type DevServer } from '../support/dev-server.js';
import {
  FINAL,
  pollFor,
  type E2eTarget,
  type TargetBatch,
  type TargetJob,
  type TargetTask,
  type TargetWorkflowBatch,
} from './target.js';

const taskOf = (t: TaskView): TargetTask => ({
  id: String(t.id),
  parentId: String(t.parentId),
  taskName: t.taskName,
  status: t.statusName,
  result: t.result,
  leaf: t.leaf,
  retryCount: t.retryCount ?? 0,
});

const batchOf = (b: BatchView): TargetBatch => ({
  id: String(b.id),
  status: b.statusName,
  operationReason: b.operationReason,
  tasks: b.tasks.map(taskOf),
});

/** The dev server as an {@link E2eTarget}: in-process, ephemeral ports, fast sweeps. */
export async function startDevTarget(group: string, token: string): Promise<E2eTarget> {
  const server: DevServer = await startTestDevServer({ groups: [{ groupName: group, token }] });
  let workflows = 0;
  const target: E2eTarget = {
    name: 'dev',
    grpcPort: server.grpcPort,
    openApiUrl: `${server.baseUrl}/snail-job`,
    namespace: DEFAULT_NAMESPACE,
    group,
    token,
    async createJob(job: TargetJob) {
      const { id } = await server.createJob({ ...job, groupName: group });
      return String(id);
    },
    async trigger(jobId, tmpArgsStr) {
      const { taskBatchId } = await server.trigger(jobId, tmpArgsStr === undefined ? {} : { tmpArgsStr });
      return String(taskBatchId);
    },
    async triggerOnly(jobId, tmpArgsStr) {
      await server.trigger(jobId, tmpArgsStr === undefined ? {} : { tmpArgsStr });
    },
    async batchesOf(jobId) {
      return (await server.listBatches(jobId)).map((b) => ({ id: String(b.id), status: b.statusName }));
    },
    async batch(id) {
      return batchOf(await server.getBatch(id));
    },
    waitForBatch(id, timeoutMs, until = (b) => FINAL.includes(b.status)) {
      return pollFor(() => target.batch(id), until, timeoutMs, `dev batch ${id}`, 20);
    },
    async stop(id) {
      await server.stopBatch(id);
    },
    async retry(id) {
      await server.retryBatch(id);
    },
    async taskLogs(_batchId, taskId) {
      const entries = await server.logs(taskId);
      return entries.map((e) => ({ level: e.fields.level, message: e.fields.message, fields: e.fields }));
    },
    async executors() {
      return (await server.executors()).filter((e) => e.groupName === group).map((e) => e.executorInfo);
    },
    async nodes() {
      return (await server.nodes())
        .filter((n) => n.alive && n.groupName === group)
        .map((n) => ({
          hostId: n.hostId,
          hostPort: n.hostPort,
          labels: Object.fromEntries(Object.entries(n.labels).map(([k, v]) => [k, String(v)])),
        }));
    },
    async createWorkflow(jobIds, wfContext) {
      const nodes = jobIds.map((jobId, i) => ({ id: `n${i + 1}`, jobId }));
      const edges = nodes.slice(1).map((n, i) => [nodes[i].id, n.id] as [string, string]);
      const { id } = await server.createWorkflow({
        name: `wf-${++workflows}`,
        groupName: group,
        nodes,
        edges,
        wfContext,
      });
      return String(id);
    },
    async triggerWorkflow(id) {
      const { workflowTaskBatchId } = await server.triggerWorkflow(id);
      return String(workflowTaskBatchId);
    },
    async workflowRunIds(workflowId) {
      // The dev console's `GET /api/workflow-batches?workflowId=` (console-api.controller.ts), newest first.
      const res = await fetch(`${server.baseUrl}/api/workflow-batches?workflowId=${workflowId}`);
      if (!res.ok) throw new Error(`dev workflow runs of ${workflowId}: HTTP ${res.status}`);
      return ((await res.json()) as { id: string | number }[]).map((r) => String(r.id));
    },
    async waitForWorkflowBatch(id, timeoutMs) {
      const done = await pollFor(
        () => server.getWorkflowBatch(id),
        (w) => FINAL.includes(w.statusName),
        timeoutMs,
        `dev workflow batch ${id}`,
        20,
      );
      const result: TargetWorkflowBatch = {
        status: done.statusName,
        wfContext: JSON.parse(done.wfContext || '{}') as Record<string, unknown>,
        nodeBatchIds: done.nodes.filter((n) => n.taskBatchId !== null).map((n) => String(n.taskBatchId)),
      };
      return result;
    },
    async restart(downMs = 1_000) {
      await server.pauseGrpc();
      await new Promise((r) => setTimeout(r, downMs));
      await server.resumeGrpc();
    },
    close: () => server.close(),
  };
  return target;
}
