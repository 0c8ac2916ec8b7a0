import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/harness.js';
import { evaluateDecision, ExpressionType, expressionContext } from './decision-expression.js';

describe('decision expressions (DecisionWorkflowExecutor, SpELExpressionEngine)', () => {
  it('evaluates SpEL over the context keys as variables', () => {
    expect(
      evaluateDecision(ExpressionType.SPEL, "#env == 'prod' and #rows > 10", '{"env":"prod","rows":42}'),
    ).toBe(true);
    expect(evaluateDecision(ExpressionType.SPEL, '#rows > 100', '{"rows":42}')).toBe(false);
    expect(evaluateDecision(ExpressionType.SPEL, "#user['name'] == 'ann'", '{"user":{"name":"ann"}}')).toBe(
      true,
    );
    expect(evaluateDecision(ExpressionType.SPEL, '#missing == null', '{}')).toBe(true);
    // A null result counts as false.
    expect(evaluateDecision(ExpressionType.SPEL, '#missing', '{}')).toBe(false);
  });

  it('fails on errors, non-boolean results and the engines it does not have', () => {
    expect(() => evaluateDecision(ExpressionType.SPEL, '#rows', '{"rows":1}')).toThrow('cannot be cast');
    expect(() => evaluateDecision(ExpressionType.SPEL, '#rows >', '{"rows":1}')).toThrow(
      'SpEL expression parsing exception. expression:[#rows >]',
    );
    expect(() => evaluateDecision(ExpressionType.AVIATOR, 'rows > 1', '{}')).toThrow(
      'not evaluated by the dev server',
    );
    expect(() => evaluateDecision(9, 'x', '{}')).toThrow('Expression engine does not exist');
  });

  it('binds a context that is not a JSON object to SINGLE_PARAM', () => {
    expect(expressionContext('not json')).toEqual({ SINGLE_PARAM: 'not json' });
    expect(expressionContext('')).toEqual({});
    expect(evaluateDecision(ExpressionType.SPEL, "#SINGLE_PARAM == 'x'", 'x')).toBe(true);
  });
});

describe('workflow decision nodes, closed nodes and fail strategies', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  async function jobs(...names: string[]) {
    return Promise.all(names.map((n) => h.server.createJob({ executorInfo: n, taskType: 1 })));
  }

  async function reason(taskBatchId: unknown) {
    return (await h.server.getBatch(taskBatchId as number)).operationReasonName;
  }

  it('takes the first branch whose expression holds; later siblings need no processing', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const [a, b, c] = await jobs('a', 'b', 'c');
    const wf = await h.server.createWorkflow({
      nodes: [
        { id: 'A', jobId: a.id },
        { id: 'big', nodeType: 'DECISION', priorityLevel: 1, decision: { nodeExpression: '#rows > 10' } },
        { id: 'other', nodeType: 'DECISION', priorityLevel: 2, decision: { defaultDecision: 1 } },
        { id: 'B', jobId: b.id },
        { id: 'C', jobId: c.id },
      ],
      edges: [
        ['A', 'big'],
        ['A', 'other'],
        ['big', 'B'],
        ['other', 'C'],
      ],
    });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    const [da] = await client.waitForDispatches(1);
    await client.report(da, 3, 'ok', { wfContext: '{"rows":42}' });
    const [, db] = await client.waitForDispatches(2);
    expect(db).toMatchObject({ executorInfo: 'b', wfContext: '{"rows":42}' });
    await client.report(db, 3);
    const run = await h.server.waitForWorkflowBatch(workflowTaskBatchId, 2000);
    expect(run.statusName).toBe('SUCCESS');
    const byKey = Object.fromEntries(run.nodes.map((n) => [n.key, n]));
    expect(byKey.big.statusName).toBe('SUCCESS');
    expect(byKey.other.statusName).toBe('CANCEL');
    expect(await reason(byKey.other.taskBatchId)).toBe('WORKFLOW_NODE_NO_REQUIRED');
    expect(byKey.C.statusName).toBe('CANCEL');
    expect(await reason(byKey.C.taskBatchId)).toBe('WORKFLOW_NODE_NO_REQUIRED');
    expect(client.dispatches()).toHaveLength(2);
    // The decision's task row holds the result, its log the decision.
    const decision = await h.server.getBatch(byKey.big.taskBatchId!);
    expect(decision.jobId).toBe(-1000);
    expect(decision.tasks[0]).toMatchObject({ statusName: 'SUCCESS', result: 'true' });
    const [log] = await h.server.batchLogs(byKey.big.taskBatchId!);
    expect(log.fields.message).toContain('Decision completed. Context:[{"rows":42}] Decision result:[true]');
  });

  it('a false expression skips its branch; the default branch runs', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const [b, c, d] = await jobs('b', 'c', 'd');
    const wf = await h.server.createWorkflow({
      nodes: [
        { id: 'prod', nodeType: 'DECISION', decision: { nodeExpression: "#env == 'prod'" } },
        { id: 'else', nodeType: 'DECISION', decision: { defaultDecision: 1 } },
        { id: 'B', jobId: b.id },
        { id: 'B2', jobId: d.id },
        { id: 'C', jobId: c.id },
      ],
      edges: [
        ['prod', 'B'],
        ['B', 'B2'],
        ['else', 'C'],
      ],
      wfContext: { env: 'dev' },
    });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    const [dc] = await client.waitForDispatches(1);
    expect(dc.executorInfo).toBe('c');
    await client.report(dc, 3);
    const run = await h.server.waitForWorkflowBatch(workflowTaskBatchId, 2000);
    expect(run.statusName).toBe('SUCCESS');
    const byKey = Object.fromEntries(run.nodes.map((n) => [n.key, n]));
    expect(byKey.prod.statusName).toBe('SUCCESS');
    expect(await reason(byKey.prod.taskBatchId)).toBe('WORKFLOW_DECISION_FAILED');
    // The skip runs down the whole branch.
    expect(await reason(byKey.B.taskBatchId)).toBe('WORKFLOW_NODE_NO_REQUIRED');
    expect(await reason(byKey.B2.taskBatchId)).toBe('WORKFLOW_NODE_NO_REQUIRED');
  });

  it('a decision that cannot be evaluated fails with WORKFLOW_CONDITION_NODE_EXECUTION_ERROR and skips its branch', async () => {
    h = await startHarness();
    const [b] = await jobs('b');
    const wf = await h.server.createWorkflow({
      nodes: [
        { id: 'bad', nodeType: 'DECISION', decision: { nodeExpression: '#rows >' } },
        { id: 'B', jobId: b.id },
      ],
      edges: [['bad', 'B']],
    });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    const run = await h.server.waitForWorkflowBatch(workflowTaskBatchId, 2000);
    const byKey = Object.fromEntries(run.nodes.map((n) => [n.key, n]));
    expect(byKey.bad.statusName).toBe('FAIL');
    expect(await reason(byKey.bad.taskBatchId)).toBe('WORKFLOW_CONDITION_NODE_EXECUTION_ERROR');
    expect(await reason(byKey.B.taskBatchId)).toBe('WORKFLOW_NODE_NO_REQUIRED');
    // Only leaves decide the run, and a skipped leaf is no failure (WorkflowBatchHandler.complete).
    expect(run.statusName).toBe('SUCCESS');
  });

  it('skips closed job nodes; with BLOCK their successors wait for good', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const [a, b, c, d] = await jobs('a', 'b', 'c', 'd');
    const skip = await h.server.createWorkflow({
      nodes: [
        { id: 'A', jobId: a.id, workflowNodeStatus: 0, failStrategy: 'SKIP' },
        { id: 'B', jobId: b.id },
      ],
      edges: [['A', 'B']],
    });
    const r1 = await h.server.triggerWorkflow(skip.id);
    const [db] = await client.waitForDispatches(1);
    expect(db.executorInfo).toBe('b');
    await client.report(db, 3);
    const run1 = await h.server.waitForWorkflowBatch(r1.workflowTaskBatchId, 2000);
    expect(run1.statusName).toBe('SUCCESS');
    expect(await reason(run1.nodes[0].taskBatchId)).toBe('WORKFLOW_NODE_CLOSED_SKIP_EXECUTION');

    const block = await h.server.createWorkflow({
      nodes: [
        { id: 'C', jobId: c.id, workflowNodeStatus: 0, failStrategy: 'BLOCK' },
        { id: 'D', jobId: d.id },
      ],
      edges: [['C', 'D']],
    });
    const r2 = await h.server.triggerWorkflow(block.id);
    const run2 = await h.server.waitForWorkflowBatch(r2.workflowTaskBatchId, 2000);
    expect(run2.statusName).toBe('FAIL');
    expect(run2.nodes.find((n) => n.key === 'D')?.statusName).toBe('NOT_STARTED');
  });

  it('a failed node with SKIP lets its successors run, and the run succeeds with its leaves', async () => {
    h = await startHarness();
    const [client] = h.clients;
    const [a, b] = await jobs('a', 'b');
    const wf = await h.server.createWorkflow({
      nodes: [
        { id: 'A', jobId: a.id, failStrategy: 'SKIP' },
        { id: 'B', jobId: b.id },
      ],
      edges: [['A', 'B']],
    });
    const { workflowTaskBatchId } = await h.server.triggerWorkflow(wf.id);
    const [da] = await client.waitForDispatches(1);
    await client.report(da, 4, 'boom');
    const [, db] = await client.waitForDispatches(2);
    await client.report(db, 3);
    const run = await h.server.waitForWorkflowBatch(workflowTaskBatchId, 2000);
    expect(run.nodes.map((n) => n.statusName)).toEqual(['FAIL', 'SUCCESS']);
    expect(run.statusName).toBe('SUCCESS');
  });
});
