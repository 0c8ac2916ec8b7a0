import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_NAMESPACE, DEMO_GROUP } from 'nestjs-snail-job/protocol';
import { ClusterApi } from './api/cluster-api.service.js';
import type { CreateJobInput, GroupInput, TriggerInput } from './api/job.input.js';
import { JobsApi } from './api/jobs-api.service.js';
import type { BatchView, JobView, LogEntryView, NodeView, WorkflowBatchView } from './api/views.js';
import type { CreateWorkflowInput, TriggerWorkflowInput } from './api/workflow.input.js';
import { WorkflowsApi } from './api/workflows-api.service.js';
import type { ApiId, IdInput } from './common/ids.js';
import { captureNestLogger, nestLoggerOption } from './common/nest-logger-scope.js';
import { DevServerModule } from './dev-server.module.js';
import { type DevServerOptions, resolveOptions } from './dev-server.options.js';
import { GrpcServerService } from './grpc/grpc-server.service.js';
import type { FaultSpec } from './journal/fault-injector.service.js';
import type { JournalEntry, JournalQuery } from './journal/request-journal.service.js';
import type { ConfigPushResult } from './registry/config-push.service.js';
import type { ExecutorRecord } from './registry/executor.registry.js';

/** Default wait of the `waitFor…` methods. */
const DEFAULT_WAIT_MS = 10_000;

/** A running dev server: the HTTP API's operations as typed methods, plus lifecycle control. */
export interface DevServer {
  /** The bound gRPC port (clients connect here). */
  readonly grpcPort: number;
  /** The bound HTTP port. */
  readonly httpPort: number;
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;

  createJob(input: CreateJobInput): Promise<{ id: ApiId }>;
  getJob(id: IdInput): Promise<JobView>;
  /** Triggers a job now; returns the new batch (the running one for RECOVERY, a CANCEL one for DISCARD). */
  trigger(jobId: IdInput, input?: TriggerInput): Promise<{ taskBatchId: ApiId }>;
  /** Creates a job and triggers it. */
  createAndTrigger(input: CreateJobInput & TriggerInput): Promise<{ jobId: ApiId; taskBatchId: ApiId }>;
  getBatch(id: IdInput, options?: { tree?: boolean }): Promise<BatchView>;
  listBatches(jobId?: IdInput): Promise<BatchView[]>;
  /** Resolves when the batch is finished (SUCCESS/FAIL/STOP/CANCEL); rejects with a `WaitTimeoutError` (`.state`). */
  waitForBatch(id: IdInput, timeoutMs?: number): Promise<BatchView>;
  /** Manual stop: stop messages for every task row, non-SUCCESS rows → STOP. */
  stopBatch(id: IdInput): Promise<BatchView>;
  /** The console's manual retry of a FAIL/STOP/CANCEL batch (`retryScene: 2`). */
  retryBatch(id: IdInput): Promise<BatchView>;
  /** Registered nodes; `alive` marks the schedulable ones. */
  nodes(): Promise<NodeView[]>;
  /** Resolves once `count` alive nodes are registered (optionally of one group). */
  waitForNodes(count: number, timeoutMs?: number, groupName?: string): Promise<NodeView[]>;
  executors(): Promise<ExecutorRecord[]>;
  /** Log entries reported for a task. */
  logs(taskId: IdInput): Promise<LogEntryView[]>;
  /** Log entries reported for every task of a batch. */
  batchLogs(batchId: IdInput): Promise<LogEntryView[]>;
  /** The request journal (inbound by default); a string is a URI filter. */
  requests(query?: string | JournalQuery): Promise<JournalEntry[]>;
  /** Adds a group (or replaces its token). */
  addGroup(group: GroupInput): Promise<void>;
  /** Pushes `/sync/version` (version + 1) to every alive node of the group. */
  pushConfig(groupName?: string, namespaceId?: string): Promise<ConfigPushResult>;
  createWorkflow(input: CreateWorkflowInput): Promise<{ id: ApiId; nodeIds: Record<string, ApiId> }>;
  triggerWorkflow(id: IdInput, input?: TriggerWorkflowInput): Promise<{ workflowTaskBatchId: ApiId }>;
  getWorkflowBatch(id: IdInput): Promise<WorkflowBatchView>;
  waitForWorkflowBatch(id: IdInput, timeoutMs?: number): Promise<WorkflowBatchView>;
  stopWorkflowBatch(id: IdInput): Promise<WorkflowBatchView>;
  /** Arms a fault on a client → server URI. */
  injectFault(fault: FaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  /** Stops the gRPC server (open calls are cut) but keeps all state — a server restart with a persistent DB. */
  pauseGrpc(): Promise<void>;
  /** Listens again on the same gRPC port. */
  resumeGrpc(): Promise<void>;
  /** Closes everything: gRPC server, client channels, timers, HTTP. */
  close(): Promise<void>;
}

class NestDevServer implements DevServer {
  readonly baseUrl: string;
  private readonly jobs: JobsApi;
  private readonly workflows: WorkflowsApi;
  private readonly cluster: ClusterApi;
  private readonly grpc: GrpcServerService;

  constructor(
    private readonly app: INestApplication,
    readonly httpPort: number,
    httpHost: string,
  ) {
    this.jobs = app.get(JobsApi);
    this.workflows = app.get(WorkflowsApi);
    this.cluster = app.get(ClusterApi);
    this.grpc = app.get(GrpcServerService);
    const host = httpHost === '0.0.0.0' || httpHost === '::' ? '127.0.0.1' : httpHost;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${httpPort}`;
  }

  get grpcPort(): number {
    return this.grpc.port;
  }

  async createJob(input: CreateJobInput) {
    return this.jobs.createJob(input);
  }
  async getJob(id: IdInput) {
    return this.jobs.getJob(id);
  }
  async trigger(jobId: IdInput, input?: TriggerInput) {
    return this.jobs.triggerJob(jobId, input);
  }
  async createAndTrigger(input: CreateJobInput & TriggerInput) {
    return this.jobs.createAndTrigger(input);
  }
  async getBatch(id: IdInput, options?: { tree?: boolean }) {
    return this.jobs.getBatch(id, options?.tree);
  }
  async listBatches(jobId?: IdInput) {
    return this.jobs.listBatches(jobId);
  }
  waitForBatch(id: IdInput, timeoutMs = DEFAULT_WAIT_MS) {
    return this.jobs.waitForBatch(id, timeoutMs);
  }
  async stopBatch(id: IdInput) {
    return this.jobs.stopBatch(id);
  }
  async retryBatch(id: IdInput) {
    return this.jobs.retryBatch(id);
  }
  async nodes() {
    return this.cluster.nodes();
  }
  waitForNodes(count: number, timeoutMs = DEFAULT_WAIT_MS, groupName?: string) {
    return this.cluster.waitForNodes(count, timeoutMs, groupName);
  }
  async executors() {
    return this.cluster.executors();
  }
  async logs(taskId: IdInput) {
    return this.jobs.taskLogs(taskId);
  }
  async batchLogs(batchId: IdInput) {
    return this.jobs.batchLogs(batchId);
  }
  async requests(query?: string | JournalQuery) {
    return this.cluster.requests(typeof query === 'string' ? { uri: query } : query);
  }
  async addGroup(group: GroupInput) {
    this.cluster.addGroup(group);
  }
  pushConfig(groupName = DEMO_GROUP, namespaceId = DEFAULT_NAMESPACE) {
    return this.cluster.pushConfig(groupName, namespaceId);
  }
  async createWorkflow(input: CreateWorkflowInput) {
    return this.workflows.createWorkflow(input);
  }
  async triggerWorkflow(id: IdInput, input?: TriggerWorkflowInput) {
    return this.workflows.triggerWorkflow(id, input);
  }
  async getWorkflowBatch(id: IdInput) {
    return this.workflows.getWorkflowBatch(id);
  }
  waitForWorkflowBatch(id: IdInput, timeoutMs = DEFAULT_WAIT_MS) {
    return this.workflows.waitForWorkflowBatch(id, timeoutMs);
  }
  async stopWorkflowBatch(id: IdInput) {
    return this.workflows.stopWorkflowBatch(id);
  }
  async injectFault(fault: FaultSpec) {
    this.cluster.injectFault(fault);
  }
  async clearFaults() {
    this.cluster.clearFaults();
  }
  async pauseGrpc() {
    this.grpc.pause();
  }
  resumeGrpc() {
    return this.grpc.resume();
  }
  close() {
    return this.app.close();
  }
}

/**
 * Starts a SnailJob 2.0.x server emulator: a gRPC endpoint for clients and an HTTP API to drive it.
 * Close it with `close()`.
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const resolved = resolveOptions(options);
  const restoreLogger = captureNestLogger();
  let app: INestApplication | undefined;
  try {
    app = await NestFactory.create(DevServerModule.forRoot(resolved), {
      logger: nestLoggerOption(resolved.logger),
      abortOnError: false,
      forceCloseConnections: true,
    });
    await app.listen(resolved.httpPort, resolved.httpHost);
    const address = app.getHttpServer().address() as { port: number } | string | null;
    const httpPort = typeof address === 'object' && address !== null ? address.port : resolved.httpPort;
    return new NestDevServer(app, httpPort, resolved.httpHost);
  } catch (e) {
    await app?.close().catch(() => undefined);
    throw e;
  } finally {
    restoreLogger();
  }
}
