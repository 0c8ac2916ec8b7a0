import { DEFAULT_NAMESPACE, DEMO_GROUP } from 'nestjs-snail-job/protocol';
import type { ApiId } from '../common/ids.js';
import { BlockStrategy, FailStrategy } from '../jobs/job.enums.js';
import { parseScheduleFields, type ScheduleFields } from '../scheduling/schedule-input.js';
import { type DecisionConfig, DECISION_JOB_ID } from '../workflows/workflow.model.js';
import { InputReader } from './input-reader.js';

/** A node's type (`WorkflowNodeTypeEnum`). */
export const NODE_TYPES = { JOB_TASK: 1, DECISION: 2 } as const;
/** A decision's expression language (`ExpressionTypeEnum`). */
export const EXPRESSION_TYPES = { SPEL: 1, AVIATOR: 2, QL: 3 } as const;

/** Body of `POST /api/workflows`. */
export interface CreateWorkflowInput {
  /** @default "workflow-<n>" */
  name?: string;
  /** @default 'snail_job_demo_group' */
  groupName?: string;
  /** @default '764d604ec6fc45f68cd92514c40e9e1a' */
  namespaceId?: string;
  /** Business id. @default a snowflake-like decimal string */
  bizId?: string;
  /**
   * Nodes; `id` is your name for the node, used in `edges`. JOB_TASK nodes (the default) name a `jobId`; DECISION
   * nodes carry `decision` (`expressionType` 1 SpEL (default), 2 Aviator, 3 QL; `nodeExpression` over the context,
   * e.g. `#env == 'prod'`; `defaultDecision` 1 = always take this branch). `workflowNodeStatus: 0` closes a job node
   * (skipped); `priorityLevel` orders decision siblings.
   */
  nodes: {
    id: string | number;
    jobId?: ApiId | bigint;
    failStrategy?: number | string;
    nodeType?: number | string;
    workflowNodeStatus?: number;
    priorityLevel?: number;
    decision?: { expressionType?: number | string; nodeExpression?: string; defaultDecision?: number };
  }[];
  /** `[fromId, toId]` pairs. */
  edges?: [string | number, string | number][];
  /** Configured context (object or JSON object text). */
  wfContext?: Record<string, unknown> | string;
  /** Seconds. @default 60 */
  executorTimeout?: number;
  /** Scheduled runs: 2 FIXED, 3 CRON, 5 POINT_IN_TIME (as for jobs). Absent: triggered by hand only. */
  triggerType?: number | string;
  triggerInterval?: string | number | string[];
  /** 1 enabled, 0 disabled. @default 1 */
  workflowStatus?: number;
  /** What a scheduled run does while another runs: 1 DISCARD (default), 2 OVERLAY, 3 CONCURRENCY. */
  blockStrategy?: number | string;
  description?: string;
}

/** A validated workflow node. */
export interface WorkflowNodeDraft {
  key: string;
  jobId: bigint;
  failStrategy: FailStrategy;
  nodeType: number;
  workflowNodeStatus: number;
  priorityLevel: number;
  decision?: DecisionConfig;
}

/** A validated workflow body (node keys still the caller's). */
export interface WorkflowDraft extends ScheduleFields {
  name?: string;
  bizId?: string;
  workflowStatus: number;
  blockStrategy: number;
  description?: string;
  groupName: string;
  namespaceId: string;
  nodes: WorkflowNodeDraft[];
  edges: [string, string][];
  wfContext: string;
  executorTimeout: number;
}

export function parseWorkflowInput(body: unknown): WorkflowDraft {
  const r = new InputReader('Workflow', body);
  const rawNodes = r.raw('nodes');
  if (!Array.isArray(rawNodes) || rawNodes.length === 0)
    r.fail('nodes', 'a non-empty array of {id, jobId, failStrategy?}');
  const nodes = (rawNodes as unknown[]).map((n, i): WorkflowNodeDraft => {
    const nr = new InputReader(`Workflow node #${i}`, n);
    const id = nr.raw('id');
    if (typeof id !== 'string' && typeof id !== 'number') nr.fail('id', 'a string or number');
    const nodeType = nr.code('nodeType', NODE_TYPES, NODE_TYPES.JOB_TASK);
    const common = {
      key: String(id),
      failStrategy: nr.code(
        'failStrategy',
        { SKIP: FailStrategy.SKIP, BLOCK: FailStrategy.BLOCK },
        FailStrategy.BLOCK,
      ) as FailStrategy,
      nodeType,
      workflowNodeStatus: nr.int('workflowNodeStatus', 1, 0, 1),
      priorityLevel: nr.int('priorityLevel', i + 1, 0),
    };
    if (nodeType === NODE_TYPES.JOB_TASK) return { ...common, jobId: nr.id('jobId', true) };
    const dr = new InputReader(`Workflow node #${i} decision`, nr.raw('decision'));
    const decision: DecisionConfig = {
      expressionType: dr.code('expressionType', EXPRESSION_TYPES, EXPRESSION_TYPES.SPEL),
      nodeExpression: dr.string('nodeExpression') ?? '',
      defaultDecision: dr.int('defaultDecision', 0, 0, 1),
    };
    if (decision.defaultDecision === 0 && decision.nodeExpression.trim() === '')
      dr.fail('nodeExpression', 'an expression (or defaultDecision 1)');
    return { ...common, jobId: DECISION_JOB_ID, decision };
  });
  const keys = new Set(nodes.map((n) => n.key));
  if (keys.size !== nodes.length) r.fail('nodes', 'nodes with unique ids');
  const rawEdges = r.raw('edges') ?? [];
  if (!Array.isArray(rawEdges)) r.fail('edges', 'an array of [fromId, toId] pairs');
  const edges = (rawEdges as unknown[]).map((e): [string, string] => {
    if (!Array.isArray(e) || e.length !== 2 || !keys.has(String(e[0])) || !keys.has(String(e[1]))) {
      return r.fail('edges', `pairs of node ids among ${[...keys].join(', ')}`);
    }
    return [String(e[0]), String(e[1])];
  });
  if (hasCycle([...keys], edges)) r.fail('edges', 'an acyclic graph');
  return {
    name: r.string('name'),
    groupName: r.string('groupName') ?? DEMO_GROUP,
    namespaceId: r.string('namespaceId') ?? DEFAULT_NAMESPACE,
    nodes,
    edges,
    wfContext: r.objectText('wfContext') ?? '{}',
    executorTimeout: r.int('executorTimeout', 60, 1),
    bizId: r.string('bizId'),
    workflowStatus: r.int('workflowStatus', 1, 0, 1),
    blockStrategy: r.code(
      'blockStrategy',
      {
        DISCARD: BlockStrategy.DISCARD,
        OVERLAY: BlockStrategy.OVERLAY,
        CONCURRENCY: BlockStrategy.CONCURRENCY,
      },
      BlockStrategy.DISCARD,
    ),
    description: r.string('description'),
    ...parseScheduleFields(r, 'Workflow'),
  };
}

/** Body of `POST /api/workflows/:id/trigger`. */
export interface TriggerWorkflowInput {
  /** Merged under the configured context (configured keys win). Object or JSON object text. */
  tmpWfContext?: Record<string, unknown> | string;
}

export function parseTriggerWorkflowInput(body: unknown): { tmpWfContext?: string } {
  return { tmpWfContext: new InputReader('Workflow trigger', body).objectText('tmpWfContext') };
}

function hasCycle(keys: string[], edges: [string, string][]): boolean {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (k: string): boolean => {
    if (state.get(k) === 'done') return false;
    if (state.get(k) === 'visiting') return true;
    state.set(k, 'visiting');
    const cyclic = edges.some(([from, to]) => from === k && visit(to));
    state.set(k, 'done');
    return cyclic;
  };
  return keys.some(visit);
}
