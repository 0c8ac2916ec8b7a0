import { DEFAULT_NAMESPACE } from 'nestjs-snail-job/protocol';
import type { RealBatch } from '../real-server/console.js';
import { startRealServer, type RealServer, type RealServerOptions } from '../real-server/real-server.js';
import {
  FINAL,
  batchStatusName,
  pollFor,
  taskStatusName,
  type E2eTarget,
  type TargetBatch,
  type TargetJob,
} from './target.js';

interface NodeConfigView {
  conditionNodes?: { jobBatchList?: { id: number | bigint }[] | null; childNode?: NodeConfigView | null }[];
  childNode?: NodeConfigView | null;
}

/** Batch ids of a workflow run's nodes, in chain order (`WorkflowDetailResponse.nodeConfig`). */
function nodeBatchIds(config: NodeConfigView | null | undefined): string[] {
  const ids: string[] = [];
  const walk = (c: NodeConfigView | null | undefined) => {
    if (!c) return;
    for (const n of c.conditionNodes ?? []) {
      for (const b of n.jobBatchList ?? []) ids.push(String(b.id));
      walk(n.childNode);
    }
    walk(c.childNode);
  };
  walk(config);
  return ids;
}

/** The real SnailJob server (started with its own PostgreSQL) as an {@link E2eTarget}. */
export async function startRealTarget(
  group: string,
  token: string,
  options: RealServerOptions = {},
): Promise<E2eTarget & { server: RealServer }> {
  const server = await startRealServer(options);
  const c = server.console;
  let names = 0;
  try {
    await c.createGroup(group, token);
  } catch (e) {
    await server.stop();
    throw e;
  }
  const target: E2eTarget & { server: RealServer } = {
    name: 'real',
    server,
    grpcPort: server.grpcPort,
    openApiUrl: server.baseUrl,
    namespace: DEFAULT_NAMESPACE,
    group,
    token,
    createJob(job: TargetJob) {
      const { labels, ...rest } = job;
      return c.createJob({
        ...rest,
        groupName: group,
        jobName: `${job.executorInfo}-${++names}`,
        ...(labels ? { labels: JSON.stringify(labels) } : {}),
      });
    },
    async trigger(jobId, tmpArgsStr) {
      const before = new Set((await c.batches(jobId)).map((b) => b.id));
      await c.triggerJob(jobId, tmpArgsStr);
      const rows = await pollFor(
        () => c.batches(jobId),
        (bs: RealBatch[]) => bs.some((b) => !before.has(b.id)),
        15_000,
        `new batch of job ${jobId}`,
        100,
      );
      return rows.find((b) => !before.has(b.id))!.id;
    },
    triggerOnly: (jobId, tmpArgsStr) => c.triggerJob(jobId, tmpArgsStr),
    async batchesOf(jobId) {
      return (await c.batches(jobId)).map((b) => ({ id: b.id, status: batchStatusName(b.taskBatchStatus) }));
    },
    async batch(id) {
      const [b, tasks] = await Promise.all([c.batch(id), c.tasks(id)]);
      const view: TargetBatch = {
        id,
        status: batchStatusName(b.taskBatchStatus),
        operationReason: b.operationReason,
        tasks: tasks.map((t) => ({
          id: t.id,
          parentId: t.parentId,
          taskName: t.taskName,
          status: taskStatusName(t.taskStatus),
          result: t.resultMessage ?? '',
          leaf: t.isLeaf,
          retryCount: t.retryCount ?? 0,
        })),
      };
      return view;
    },
    waitForBatch(id, timeoutMs, until = (b) => FINAL.includes(b.status)) {
      return pollFor(() => target.batch(id), until, timeoutMs, `real batch ${id}`, 250);
    },
    stop: (id) => c.stopBatch(id),
    retry: (id) => c.retryBatch(id),
    async taskLogs(batchId, taskId) {
      const lines = await c.taskLogs(batchId, taskId);
      return lines.map((fields) => ({ level: fields.level, message: fields.message, fields }));
    },
    executors: () => c.executors(group),
    async nodes() {
      return (await c.pods(group)).map((p) => ({
        hostId: p.hostId,
        hostPort: p.hostPort,
        labels: p.labels ? (JSON.parse(p.labels) as Record<string, string>) : {},
      }));
    },
    createWorkflow(jobIds, wfContext) {
      return c.createChainWorkflow({
        groupName: group,
        workflowName: `wf-${++names}`,
        jobIds,
        wfContext: wfContext === undefined ? undefined : JSON.stringify(wfContext),
      });
    },
    async workflowRunIds(workflowId) {
      return (await c.workflowBatches(workflowId)).map((b) => b.id);
    },
    async triggerWorkflow(id) {
      const before = new Set((await c.workflowBatches(id)).map((b) => b.id));
      await c.triggerWorkflow(id);
      const rows = await pollFor(
        () => c.workflowBatches(id),
        (bs) => bs.some((b) => !before.has(b.id)),
        15_000,
        `new run of workflow ${id}`,
        100,
      );
      return rows.find((b) => !before.has(b.id))!.id;
    },
    async waitForWorkflowBatch(id, timeoutMs) {
      const done = await pollFor(
        () => c.workflowBatch(id),
        (w) => FINAL.includes(batchStatusName(w.workflowBatchStatus)),
        timeoutMs,
        `real workflow batch ${id}`,
        250,
      );
      return {
        status: batchStatusName(done.workflowBatchStatus),
        wfContext: JSON.parse(done.wfContext || '{}') as Record<string, unknown>,
        nodeBatchIds: nodeBatchIds(done.nodeConfig as NodeConfigView),
      };
    },
    restart: () => server.restart(),
    close: () => server.stop(),
  };
  return target;
}
