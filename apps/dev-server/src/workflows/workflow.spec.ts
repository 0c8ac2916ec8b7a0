import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness.js';

describe('workflows (docs/protocol.md §5.10, §13.5)', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('carries the context down, merges reported changes and opens the successor', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const a = await h.server.createJob({ executorInfo: 'export', taskType: 1 });
    const b = await h.server.createJob({ executorInfo: 'notify', taskType: 1 });
    const wf = await h.server.createWorkflow({
      nodes: [
        { id: 'A', jobId: a.id },
        { id: 'B', jobId: b.id },
      ],
      edges: [['A', 'B']],
      wfContext: { env: 'prod' },
    });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id, {
      tmpWfContext: { env: 'dev', run: 1 },
    });
    const [first] = await client.waitForDispatches(1);
    expect(first).toMatchObject({
      jobId: a.id,
      workflowTaskBatchId,
      workflowNodeId: wf.nodeIds.A,
      wfContext: '{"env":"prod","run":1}', // the configured context wins over tmpWfContext
    });
    await client.report(first, 3, 'exported', { wfContext: '{"rows":42,"gone":null}' });
    const [, second] = await client.waitForDispatches(2);
    expect(second).toMatchObject({
      jobId: b.id,
      workflowTaskBatchId,
      workflowNodeId: wf.nodeIds.B,
      wfContext: '{"env":"prod","run":1,"rows":42}',
    });
    await client.report(second, 3);
    const run = await h.server.waitForWorkflowBatch(workflowTaskBatchId, 2000);
    expect(run).toMatchObject({ statusName: 'SUCCESS', wfContext: '{"env":"prod","run":1,"rows":42}' });
    expect(run.nodes.map((n) => [n.key, n.statusName])).toEqual([
      ['A', 'SUCCESS'],
      ['B', 'SUCCESS'],
    ]);
  });

  it("merges a node's context only on the way to successors: the last node's changes stay out of the run", async () => {
    h = await startHarness();
    const [client] = h.clients;
    const ids: Awaited<ReturnType<typeof h.server.createJob>>['id'][] = [];
    for (const name of ['a', 'b', 'c', 'd'])
      ids.push((await h.server.createJob({ executorInfo: name, taskType: 1 })).id);
    // A -> B -> D and A -> C: C is a leaf, but its sibling B has a successor, so C's change is merged (Java).
    const wf = await h.server.createWorkflow({
      nodes: ['A', 'B', 'C', 'D'].map((id, i) => ({ id, jobId: ids[i] })),
      edges: [
        ['A', 'B'],
        ['A', 'C'],
        ['B', 'D'],
      ],
    });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    const [a] = await client.waitForDispatches(1);
    await client.report(a, 3, '', { wfContext: '{"a":1}' });
    const [, first, second] = await client.waitForDispatches(3);
    const byNode = new Map([first, second].map((d) => [String(d.workflowNodeId), d]));
    await client.report(byNode.get(String(wf.nodeIds.C))!, 3, '', { wfContext: '{"c":1}' });
    await client.report(byNode.get(String(wf.nodeIds.B))!, 3, '', { wfContext: '{"b":1}' });
    const dispatches = await client.waitForDispatches(4);
    const d = dispatches[3];
    expect(d).toMatchObject({ workflowNodeId: wf.nodeIds.D, wfContext: '{"a":1,"c":1,"b":1}' });
    await client.report(d, 3, '', { wfContext: '{"d":1}' });
    const run = await h.server.waitForWorkflowBatch(workflowTaskBatchId, 2000);
    expect(run).toMatchObject({ statusName: 'SUCCESS', wfContext: '{"a":1,"c":1,"b":1}' });
  });

  it('waits for every predecessor, and BLOCK stops the branch after a failure', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const ids = await Promise.all(
      ['a', 'b', 'c'].map((n) => h.server.createJob({ executorInfo: n, taskType: 1 })),
    );
    const wf = await h.server.createWorkflow({
      nodes: [
        { id: 1, jobId: ids[0].id, failStrategy: 'SKIP' },
        { id: 2, jobId: ids[1].id, failStrategy: 'BLOCK' },
        { id: 3, jobId: ids[2].id },
      ],
      edges: [
        [1, 3],
        [2, 3],
      ],
    });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    const [d1, d2] = await client.waitForDispatches(2);
    await client.report(d1, 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(client.dispatches()).toHaveLength(2); // node 3 still waits for node 2
    await client.report(d2, 4);
    const run = await h.server.waitForWorkflowBatch(workflowTaskBatchId, 2000);
    expect(run.statusName).toBe('FAIL');
    expect(run.nodes.find((n) => n.key === '3')).toMatchObject({
      taskBatchId: null,
      statusName: 'NOT_STARTED',
    });
  });

  it('stops a running workflow and its job batches', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const job = await h.server.createJob({ executorInfo: 'slow', taskType: 1 });
    const wf = await h.server.createWorkflow({ nodes: [{ id: 'only', jobId: job.id }] });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    await client.waitForDispatches(1);
    const run = await h.server.stopWorkflowBatch(workflowTaskBatchId);
    expect(run.statusName).toBe('STOP');
    const batch = await h.server.getBatch(run.nodes[0].taskBatchId!);
    expect(batch).toMatchObject({ statusName: 'STOP', operationReasonName: 'JOB_TASK_INTERRUPTED' });
    await client.waitForCalls('/job/stop/v1', 1);
  });

  it('rejects cyclic graphs and unknown jobs', async () => {
    h = await startHarness([]);
    const job = await h.server.createJob({ executorInfo: 'x', taskType: 1 });
    await expect(
      h.server.createWorkflow({
        nodes: [
          { id: 'a', jobId: job.id },
          { id: 'b', jobId: job.id },
        ],
        edges: [
          ['a', 'b'],
          ['b', 'a'],
        ],
      }),
    ).rejects.toThrow('acyclic');
    await expect(h.server.createWorkflow({ nodes: [{ id: 'a', jobId: 12345 }] })).rejects.toThrow(
      'job 12345 does not exist',
    );
  });
});
