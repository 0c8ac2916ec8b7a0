import { DEFAULT_NAMESPACE, DEMO_GROUP } from 'nestjs-snail-job/protocol';
import type { ApiId } from '../common/ids.js';
import { FailStrategy } from '../jobs/job.enums.js';
import { InputReader } from './input-reader.js';

/** Body of `POST /api/workflows`. */
export interface CreateWorkflowInput {
  /** @default "workflow-<n>" */
  name?: string;
  /** @default 'snail_job_demo_group' */
  groupName?: string;
  /** @default '764d604ec6fc45f68cd92514c40e9e1a' */
  namespaceId?: string;
  /** Job nodes; `id` is your name for the node, used in `edges`. */
  nodes: { id: string | number; jobId: ApiId | bigint; failStrategy?: number | string }[];
  /** `[fromId, toId]` pairs. */
  edges?: [string | number, string | number][];
  /** Configured context (object or JSON object text). */
  wfContext?: Record<string, unknown> | string;
  /** Seconds. @default 60 */
  executorTimeout?: number;
}

/** A validated workflow body (node keys still the caller's). */
export interface WorkflowDraft {
  name?: string;
  groupName: string;
  namespaceId: string;
  nodes: { key: string; jobId: bigint; failStrategy: FailStrategy }[];
  edges: [string, string][];
  wfContext: string;
  executorTimeout: number;
}

export function parseWorkflowInput(body: unknown): WorkflowDraft {
  const r = new InputReader('Workflow', body);
  const rawNodes = r.raw('nodes');
  if (!Array.isArray(rawNodes) || rawNodes.length === 0)
    r.fail('nodes', 'a non-empty array of {id, jobId, failStrategy?}');
  const nodes = (rawNodes as unknown[]).map((n, i) => {
    const nr = new InputReader(`Workflow node #${i}`, n);
    const id = nr.raw('id');
    if (typeof id !== 'string' && typeof id !== 'number') nr.fail('id', 'a string or number');
    return {
      key: String(id),
      jobId: nr.id('jobId', true),
      failStrategy: nr.code(
        'failStrategy',
        { SKIP: FailStrategy.SKIP, BLOCK: FailStrategy.BLOCK },
        FailStrategy.BLOCK,
      ),
    };
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
