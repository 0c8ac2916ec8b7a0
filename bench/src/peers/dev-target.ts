import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths.js';
import { ManagedProcess, freePort, waitFor } from './process.js';
import type {
  PeerBatchOutcome,
  PeerJobSpec,
  PeerNode,
  PeerTarget,
  PeerTaskOutcome,
  PeerWorkflowOutcome,
} from './target.js';

interface TaskView {
  taskName: string;
  status: number;
  result: string;
  message: string | null;
  retryCount: number | null;
  node: { hostPort: number } | null;
  wfContext: string | null;
}

interface BatchView {
  id: number | string;
  status: number;
  createdAt: number;
  finishedAt: number | null;
  tasks: TaskView[];
}

/**
 * Our dev server (apps/dev-server/dist/main.js) as its own process on loopback ports picked once, so that a
 * restart comes back where the clients look for it. Driven through its HTTP API.
 */
export class DevServerTarget implements PeerTarget {
  readonly name = 'dev server';
  grpcPort = 0;
  private httpPort = 0;
  private proc: ManagedProcess | undefined;

  constructor(private readonly logDir: string) {}

  pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(): Promise<void> {
    if (this.grpcPort === 0) {
      this.grpcPort = await freePort();
      this.httpPort = await freePort();
    }
    const log = createWriteStream(join(this.logDir, 'dev-server.log'), { flags: 'a' });
    this.proc = new ManagedProcess(
      'dev-server',
      process.execPath,
      [join(REPO_ROOT, 'apps/dev-server/dist/main.js')],
      {
        env: {
          ...process.env,
          DEV_SERVER_HOST: '127.0.0.1',
          DEV_SERVER_GRPC_PORT: String(this.grpcPort),
          DEV_SERVER_HTTP_PORT: String(this.httpPort),
          // The default 5 s registration sweep, as the Java server's (docs/dev-server.md): registration figures
          // then mean the same on both.
          DEV_SERVER_SWEEP_MS: '5000',
        },
        log,
      },
    );
    await waitFor(() => this.proc!.output.includes('dev server ready'), 30_000, 'the dev server to start');
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
    this.proc = undefined;
  }

  private async call<T>(method: string, path: string, body?: unknown, okStatuses = [200, 201]): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.httpPort}/api${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!okStatuses.includes(res.status)) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async ensureGroup(group: string, token: string): Promise<void> {
    const groups = await this.call<{ groupName: string }[]>('GET', '/groups');
    if (!groups.some((g) => g.groupName === group))
      await this.call('POST', '/groups', { groupName: group, token });
  }

  async createJob(spec: PeerJobSpec): Promise<string> {
    const { group, ...rest } = spec;
    const { id } = await this.call<{ id: number | string }>('POST', '/jobs', { ...rest, groupName: group });
    return String(id);
  }

  async trigger(jobId: string, tmpArgsStr?: string): Promise<string> {
    const body = tmpArgsStr === undefined ? {} : { tmpArgsStr };
    const { taskBatchId } = await this.call<{ taskBatchId: number | string }>(
      'POST',
      `/jobs/${jobId}/trigger`,
      body,
    );
    return String(taskBatchId);
  }

  async waitBatch(batchId: string, timeoutMs: number): Promise<PeerBatchOutcome> {
    const view = await this.call<BatchView>(
      'GET',
      `/batches/${batchId}/wait?timeoutMs=${timeoutMs}`,
      undefined,
      [200, 408],
    );
    return {
      id: String(view.id),
      status: view.status,
      createdAt: view.createdAt,
      finishedAt: view.finishedAt,
      tasks: view.tasks.map((t): PeerTaskOutcome => ({
        taskName: t.taskName,
        status: t.status,
        result: t.result,
        message: t.message,
        retryCount: t.retryCount,
        hostPort: t.node?.hostPort ?? null,
        wfContext: t.wfContext,
      })),
    };
  }

  async batchProgress(batchId: string): Promise<{ status: number; tasks: number; finished: number }> {
    const view = await this.call<BatchView>('GET', `/batches/${batchId}`);
    return {
      status: view.status,
      tasks: view.tasks.length,
      finished: view.tasks.filter((t) => t.status >= 3).length,
    };
  }

  async stopBatch(batchId: string): Promise<void> {
    await this.call('POST', `/batches/${batchId}/stop`);
  }

  async logLines(batchId: string): Promise<number> {
    const entries = await this.call<unknown[]>('GET', `/batches/${batchId}/logs`);
    return entries.length;
  }

  async nodes(group: string): Promise<PeerNode[]> {
    const nodes = await this.call<{ hostPort: number; groupName: string; alive: boolean }[]>(
      'GET',
      `/nodes?groupName=${encodeURIComponent(group)}`,
    );
    return nodes
      .filter((n) => n.alive && n.groupName === group)
      .map((n) => ({ hostPort: n.hostPort, group }));
  }

  async createWorkflow(group: string, jobIds: string[]): Promise<string> {
    const nodes = jobIds.map((jobId, i) => ({ id: `n${i}`, jobId: Number(jobId) }));
    const edges = nodes.slice(1).map((n, i) => [nodes[i].id, n.id]);
    const { id } = await this.call<{ id: number | string }>('POST', '/workflows', {
      groupName: group,
      nodes,
      edges,
    });
    return String(id);
  }

  async triggerWorkflow(workflowId: string): Promise<string> {
    const { workflowTaskBatchId } = await this.call<{ workflowTaskBatchId: number | string }>(
      'POST',
      `/workflows/${workflowId}/trigger`,
      {},
    );
    return String(workflowTaskBatchId);
  }

  async waitWorkflow(runId: string, timeoutMs: number): Promise<PeerWorkflowOutcome> {
    const view = await this.call<{ status: number; wfContext: string; nodes: { status: number | null }[] }>(
      'GET',
      `/workflow-batches/${runId}/wait?timeoutMs=${timeoutMs}`,
      undefined,
      [200, 408],
    );
    return {
      status: view.status,
      wfContext: view.wfContext,
      nodeStatuses: view.nodes.map((n) => n.status ?? 0),
    };
  }
}
