/**
 * `SnailJobOpenApi` — the typed OpenAPI client — against each target of SNAIL_E2E_TARGETS (default `dev`;
 * `dev,real` adds the real SnailJob 2.0.2 server, docs/real-server.md). The client is the one SnailJobModule
 * provides, configured from the module's options only (namespace, group, token, `server.openApiUrl`); every job
 * and workflow it adds runs on a registered Nest app, and every outcome is read back through the client itself.
 * docs/openapi-client.md.
 */
import type { INestApplication } from '@nestjs/common';
import { SnailJobOpenApi, SnailJobOpenApiError, type JobBatchResponse } from 'nestjs-snail-job';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, startClientApp } from './support/client-app.js';
import { plainExecutors, seen } from './targets/executors.js';
import {
  obtainRealLaunch,
  printTimings,
  requestedTargets,
  skipUnavailable,
  startTarget,
  targetTitle,
  type Timings,
} from './targets/suite.js';
import { pollFor, waitForClients, type E2eTarget } from './targets/target.js';

const GROUP = 'nest_openapi_client_group';
const TOKEN = 'SJ_openApiClientTargetToken12345';
/** `JobTaskBatchStatusEnum.SUCCESS`, the status of a job batch and of a workflow batch that succeeded. */
const SUCCESS = 3;

const requested = requestedTargets();
const real = obtainRealLaunch(requested);
const timings: Timings = {};

afterAll(() => printTimings(timings));

for (const name of requested) {
  if (skipUnavailable(name, real)) continue;

  describe(targetTitle(name), { timeout: name === 'real' ? 240_000 : 30_000 }, () => {
    const wait = name === 'real' ? 120_000 : 15_000;
    let target: E2eTarget;
    let app: INestApplication;
    let api: SnailJobOpenApi;
    timings[name] = {};

    beforeAll(async () => {
      const t0 = Date.now();
      target = await startTarget(name, GROUP, TOKEN, real);
      timings[name]['server start'] = Date.now() - t0;
      app = await startClientApp(
        clientOptions(target.grpcPort, {
          server: { host: '127.0.0.1', port: target.grpcPort, openApiUrl: target.openApiUrl },
          group: GROUP,
          token: TOKEN,
          namespace: target.namespace,
          heartbeatIntervalMs: 1_000,
        }),
        [plainExecutors('A')],
      );
      api = app.get(SnailJobOpenApi);
      await waitForClients(target, 1, ['e2eEcho', 'e2eWfA', 'e2eWfB']);
    }, 300_000);

    afterAll(async () => {
      await app?.close();
      await target?.close();
    }, 60_000);

    /** The batch a trigger made, found through the target, then read and awaited through the client. */
    async function batchAfterTrigger(jobId: number, before: number): Promise<JobBatchResponse> {
      const rows = await pollFor(
        () => target.batchesOf(String(jobId)),
        (bs) => bs.length > before,
        wait,
        `batch ${before + 1} of job ${jobId}`,
      );
      const batchId = Math.max(...rows.map((b) => Number(b.id)));
      return pollFor(
        () => api.getJobBatch(batchId),
        (b) => b !== null && b.taskBatchStatus === SUCCESS,
        wait,
        `job batch ${batchId} through the OpenAPI client`,
      ) as Promise<JobBatchResponse>;
    }

    it('adds, reads, updates, triggers, disables and deletes a job', async () => {
      const id = await api.addJob({
        jobName: 'openapi-client-echo',
        executorInfo: 'e2eEcho',
        taskType: 1,
        triggerType: 2,
        triggerInterval: '86400',
        argsStr: 'from-add',
        description: 'added by SnailJobOpenApi',
      });
      expect(id).toBeGreaterThan(0);
      expect(await api.getJob(id)).toMatchObject({
        id,
        groupName: GROUP,
        jobName: 'openapi-client-echo',
        executorInfo: 'e2eEcho',
        argsStr: 'from-add',
        jobStatus: 1,
        taskType: 1,
      });
      expect(await api.jobExists(id)).toMatchObject({ id, groupName: GROUP, jobStatus: 1 });

      expect(await api.updateJob({ id, argsStr: 'from-update', description: 'updated' })).toBe(true);
      expect(await api.getJob(id)).toMatchObject({ argsStr: 'from-update', description: 'updated' });

      const t0 = Date.now();
      expect(await api.triggerJob(id, 'from-trigger')).toBe(true);
      const batch = await batchAfterTrigger(id, 0);
      timings[name]['job trigger → success'] = Date.now() - t0;
      expect(batch).toMatchObject({ jobId: id, groupName: GROUP, executorInfo: 'e2eEcho' });
      const tasks = (await target.batch(String(batch.id))).tasks;
      expect(tasks.map((t) => JSON.parse(t.result) as unknown)).toEqual([
        { app: 'A', params: 'from-trigger' },
      ]);

      // The server refuses to delete an enabled job; the error carries its message.
      const refused = await api.deleteJobs([id]).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SnailJobOpenApiError);
      expect(refused).toMatchObject({
        kind: 'refused',
        path: 'DELETE /api/job/delete',
        serverStatus: 0,
        serverMessage:
          'Failed to delete the scheduled task. Ensure the task is closed, and confirm whether the job exists.',
      });

      expect(await api.disableJob(id)).toBe(true);
      expect(await api.jobExists(id)).toMatchObject({ jobStatus: 0 });
      expect(await api.deleteJobs([id])).toBe(true);
      expect(await api.jobExists(id)).toBeNull();
      expect(await api.getJob(id)).toBeNull();
    });

    it('does the same by bizId', async () => {
      const bizId = `openapi-client-${name}`;
      const id = await api.addJobByBizId({
        bizId,
        jobName: 'by-biz-id',
        executorInfo: 'e2eEcho',
        taskType: 1,
        triggerType: 2,
        triggerInterval: '86400',
      });
      expect(await api.jobExistsByBizId(bizId)).toMatchObject({ id, bizId, jobStatus: 1 });
      expect(await api.updateJobByBizId({ bizId, maxRetryTimes: 7 })).toBe(true);
      expect(await api.getJobByBizId(bizId)).toMatchObject({ id, bizId, maxRetryTimes: 7 });

      expect(await api.triggerJobByBizId(bizId, 'biz-args')).toBe(true);
      const batch = await batchAfterTrigger(id, 0);
      const tasks = (await target.batch(String(batch.id))).tasks;
      expect(tasks.map((t) => JSON.parse(t.result) as unknown)).toEqual([{ app: 'A', params: 'biz-args' }]);

      expect(await api.updateJobStatusByBizId(bizId, 0)).toBe(true);
      expect(await api.deleteJobsByBizId([bizId])).toBe(true);
      expect(await api.jobExistsByBizId(bizId)).toBeNull();
    });

    it("rejects what the server refuses with the server's message and changes nothing", async () => {
      const error = await api
        .addJob({
          jobName: 'bad-cron',
          executorInfo: 'e2eEcho',
          taskType: 1,
          triggerType: 3,
          triggerInterval: 'nope',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SnailJobOpenApiError);
      expect(error).toMatchObject({
        kind: 'refused',
        path: 'POST /api/job/add',
        serverMessage: 'Expression parsing error.[nope]',
        message: 'POST /api/job/add: Expression parsing error.[nope]',
      });
      await expect(api.triggerJob(987_654_321)).rejects.toMatchObject({
        kind: 'refused',
        serverMessage: 'job can not be null.',
      });

      // The same calls with another token: the server's authentication refusal, not a transport error.
      const stranger = new SnailJobOpenApi({
        baseUrl: target.openApiUrl,
        namespace: target.namespace,
        groupName: GROUP,
        token: 'SJ_notTheGroupsToken',
      });
      const denied = await stranger.jobExists(1).catch((e: unknown) => e);
      expect(denied).toMatchObject({ kind: 'refused', serverStatus: 0 });
      expect((denied as SnailJobOpenApiError).serverMessage).toMatch(/^Token authentication failed/);
    });

    it('triggers a workflow with a temporary context, by id and by bizId, and reads its run back', async () => {
      const step = (executorInfo: string) =>
        api.addJob({
          jobName: `wf-step-${executorInfo}`,
          executorInfo,
          taskType: 1,
          triggerType: 99,
          triggerInterval: '*',
        });
      const stepA = await step('e2eWfA');
      const stepB = await step('e2eWfB');
      // The workflow has a context of its own: 2.0.2 refuses a temporary context for a workflow without one
      // (AbstractWorkflowService.doTriggerWorkFlow parses the stored null: "Json to object conversion failed
      // Parameters: null"), and its keys win over the temporary context's.
      const workflowId = Number(
        await target.createWorkflow([String(stepA), String(stepB)], { owner: 'workflow' }),
      );
      const exists = await api.workflowExists(workflowId);
      expect(exists).toMatchObject({ id: workflowId, groupName: GROUP });
      const bizId = exists?.bizId;
      expect(bizId).toBeTruthy();

      /** Runs the workflow (the trigger answers no run id: the new one is found in the target's list), then
       * reads the run through the client until it succeeded, and checks its first node's batch points at it. */
      const run = async (trigger: () => Promise<boolean>, before: number) => {
        expect(await trigger()).toBe(true);
        const runs = await pollFor(
          () => target.workflowRunIds(String(workflowId)),
          (ids) => ids.length > before,
          wait,
          `run ${before + 1} of workflow ${workflowId}`,
        );
        const runId = Math.max(...runs.map(Number));
        const detail = await pollFor(
          () => api.getWorkflowBatch(runId),
          (w) => w !== null && w.workflowBatchStatus === SUCCESS,
          wait,
          `workflow batch ${runId}`,
        );
        const nodeBatchIds = (detail?.nodeConfig?.conditionNodes ?? []).flatMap((n) =>
          (n.jobBatchList ?? []).map((b) => b.id),
        );
        expect(nodeBatchIds).toHaveLength(1); // the first node; the second is its childNode
        const nodeBatch = await api.getJobBatch(Number(nodeBatchIds[0]));
        expect(nodeBatch).toMatchObject({
          jobId: stepA,
          workflowTaskBatchId: runId,
          taskBatchStatus: SUCCESS,
        });
        return { runId, detail };
      };

      const t0 = Date.now();
      const byId = await run(
        () => api.triggerWorkflow(workflowId, JSON.stringify({ run: 'by-id', owner: 'trigger' })),
        0,
      );
      timings[name]['workflow trigger → success'] = Date.now() - t0;
      // The detail's id is the workflow's (AbstractWorkflowBatchService.getWorkflowBatchById fills it from the
      // workflow), its status and context the run's.
      expect(byId.detail).toMatchObject({ id: workflowId, groupName: GROUP, workflowBatchStatus: SUCCESS });
      // The second step read what the first appended; the last step's own changes stay in its task, so the run's
      // context is what a third step would have seen (as in targets.e2e-spec.ts).
      expect(seen.wfRead.b).toEqual({ run: 'by-id', rows: 42 });
      expect(JSON.parse(byId.detail?.wfContext ?? '{}')).toEqual({
        owner: 'workflow',
        run: 'by-id',
        rows: 42,
      });

      const byBizId = await run(
        () => api.triggerWorkflowByBizId(bizId!, JSON.stringify({ run: 'by-biz-id' })),
        1,
      );
      expect(byBizId.runId).not.toBe(byId.runId);
      expect(seen.wfRead.b).toEqual({ run: 'by-biz-id', rows: 42 });
      expect(JSON.parse(byBizId.detail?.wfContext ?? '{}')).toEqual({
        owner: 'workflow',
        run: 'by-biz-id',
        rows: 42,
      });

      expect(await api.updateWorkflowStatusByBizId(bizId!, 0)).toBe(true);
      expect(await api.workflowExistsByBizId(bizId!)).toMatchObject({ id: workflowId, workflowStatus: 0 });
      expect(await api.updateWorkflowStatus(workflowId, 1)).toBe(true);
      expect(await api.updateWorkflowStatus(workflowId, 0)).toBe(true);
      expect(await api.deleteWorkflowsByBizId([bizId!])).toBe(true);
      expect(await api.workflowExists(workflowId)).toBeNull();
    });
  });
}
