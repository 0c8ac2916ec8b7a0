import * as grpc from '@grpc/grpc-js';
import {
  ClientUri,
  DEFAULT_NAMESPACE,
  DEMO_GROUP,
  DEMO_TOKEN,
  type DispatchJobRequest,
  decodeBody,
  parseJson,
  ServerUri,
  stringifyJson,
  unaryRequestService,
  type WireRequest,
  type WireResult,
} from 'nestjs-snail-job/protocol';

/** A call the fake client's gRPC server received (server → client). */
export interface ReceivedCall {
  uri: string;
  headers: Record<string, string>;
  body: string;
  args: unknown[];
  at: number;
}

/** What the fake client answers; `undefined` = never answer. */
export type Responder = (
  call: ReceivedCall,
) => { status: number; message?: string; data?: string } | undefined;

export interface FakeClientOptions {
  hostId?: string;
  groupName?: string;
  namespace?: string;
  token?: string;
  /** `label` header of `/beat` (none when undefined). */
  labels?: Record<string, string>;
  executorType?: string | null;
}

type Callback = (error: grpc.ServiceError | null, result?: WireResult) => void;
interface UnaryClient extends grpc.Client {
  unaryRequest(request: object, callback: Callback): grpc.ClientUnaryCall;
}

let hostSeq = 0;

/**
 * A minimal SnailJob client for the dev server's own tests (not the library under development): a grpc-js
 * server that records every server → client call and answers like the Java client, plus a channel for
 * client → server calls.
 */
export class FakeClient {
  readonly received: ReceivedCall[] = [];
  readonly hostId: string;
  private readonly responders = new Map<string, Responder>();
  private reqId = 0;

  private constructor(
    private readonly server: grpc.Server,
    private readonly channel: UnaryClient,
    readonly port: number,
    readonly options: Required<Omit<FakeClientOptions, 'labels' | 'executorType'>> & FakeClientOptions,
  ) {
    this.hostId = options.hostId;
  }

  static async start(serverPort: number, options: FakeClientOptions = {}): Promise<FakeClient> {
    const server = new grpc.Server();
    const ref: { client?: FakeClient } = {};
    server.addService(unaryRequestService().service, {
      unaryRequest: (
        call: grpc.ServerUnaryCall<WireRequest, WireResult>,
        cb: grpc.sendUnaryData<WireResult>,
      ) => {
        const received: ReceivedCall = {
          uri: call.request.metadata?.uri ?? '',
          headers: call.request.metadata?.headers ?? {},
          body: call.request.body,
          args: decodeBody(call.request.body),
          at: Date.now(),
        };
        ref.client!.received.push(received);
        const reply = ref.client!.answer(received);
        if (reply)
          cb(null, {
            reqId: 0,
            status: reply.status,
            message: reply.message ?? '',
            data: reply.data ?? 'null',
          });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    const Ctor = unaryRequestService();
    const channel = new Ctor(
      `127.0.0.1:${serverPort}`,
      grpc.credentials.createInsecure(),
    ) as unknown as UnaryClient;
    ref.client = new FakeClient(server, channel, port, {
      hostId: options.hostId ?? `fake-${process.pid}-${++hostSeq}`,
      groupName: options.groupName ?? DEMO_GROUP,
      namespace: options.namespace ?? DEFAULT_NAMESPACE,
      token: options.token ?? DEMO_TOKEN,
      labels: options.labels,
      executorType: options.executorType === undefined ? '1' : options.executorType,
    });
    return ref.client;
  }

  /** Overrides the answer for a server → client URI. */
  respond(uri: string, responder: Responder): void {
    this.responders.set(uri, responder);
  }

  /** The client headers of docs/protocol.md §2.1. */
  headers(): Record<string, string> {
    const h: Record<string, string> = {
      'host-id': this.hostId,
      'host-ip': '127.0.0.1',
      'host-port': String(this.port),
      'group-name': this.options.groupName,
      namespace: this.options.namespace,
      token: this.options.token,
      version: '0',
      'system-version': 'fake-0.0.1',
      Host: '127.0.0.1',
    };
    if (this.options.executorType !== null && this.options.executorType !== undefined) {
      h['executor-type'] = this.options.executorType;
    }
    return h;
  }

  /** A raw client → server call. */
  call(
    uri: string,
    body: string,
    headers: Record<string, string> = this.headers(),
    timeoutMs = 5000,
  ): Promise<WireResult> {
    const reqId = this.reqId++;
    return new Promise((resolve, reject) => {
      this.channel.unaryRequest(
        { reqId, metadata: { uri, headers }, body },
        // a local deadline so that "never answered" calls end
        (error, result) => (error || !result ? reject(error ?? new Error('empty')) : resolve(result)),
      );
      setTimeout(() => reject(new Error('timeout')), timeoutMs).unref();
    });
  }

  /** Calls with `[arg0, …]` as the body. */
  send(uri: string, ...args: unknown[]): Promise<WireResult> {
    return this.call(uri, stringifyJson(args));
  }

  beat(): Promise<WireResult> {
    const labels = this.options.labels;
    const headers = this.headers();
    if (labels) headers.label = JSON.stringify(labels);
    return this.call(ServerUri.BEAT, JSON.stringify(['PING', labels ?? {}]), headers);
  }

  registerExecutors(...names: string[]): Promise<WireResult> {
    return this.send(
      ServerUri.REGISTER_EXECUTORS,
      names.map((executorInfo) => ({ executorInfo })),
    );
  }

  /** Reports a result for a dispatch, echoing what the Java client echoes. */
  report(
    d: DispatchJobRequest,
    taskStatus: 3 | 4 | 5,
    result?: unknown,
    extra: Record<string, unknown> = {},
  ): Promise<WireResult> {
    return this.send(ServerUri.REPORT_RESULT, {
      jobId: d.jobId,
      taskBatchId: d.taskBatchId,
      taskId: d.taskId,
      taskType: d.taskType,
      groupName: d.groupName,
      taskStatus,
      executeResult: {
        status: taskStatus === 3 ? 1 : 0,
        message: taskStatus === 3 ? 'Task executed successfully' : 'Task execution failed',
        ...(result === undefined ? {} : { result }),
      },
      workflowTaskBatchId: d.workflowTaskBatchId,
      workflowNodeId: d.workflowNodeId,
      retryStatus: d.retryStatus ?? false,
      retryScene: d.retryScene,
      retry: false,
      ...extra,
    });
  }

  doMap(d: DispatchJobRequest, taskName: string, subTask: unknown[], wfContext = '{}'): Promise<WireResult> {
    return this.send(ServerUri.MAP_TASK, {
      jobId: d.jobId,
      taskBatchId: d.taskBatchId,
      parentId: d.taskId,
      taskName,
      subTask,
      wfContext,
      workflowTaskBatchId: d.workflowTaskBatchId,
      workflowNodeId: d.workflowNodeId,
    });
  }

  /** Received calls on one URI. */
  calls(uri: string): ReceivedCall[] {
    return this.received.filter((c) => c.uri === uri);
  }

  /** Dispatch requests received so far. */
  dispatches(): DispatchJobRequest[] {
    return this.calls(ClientUri.DISPATCH).map((c) => c.args[0] as DispatchJobRequest);
  }

  /** Polls until `predicate` holds; returns its value. */
  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > end) throw new Error(`Timed out waiting for ${what}; received: ${this.summary()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Waits until `count` dispatches arrived; returns them. */
  waitForDispatches(count: number, timeoutMs = 5000): Promise<DispatchJobRequest[]> {
    return this.waitFor(
      `${count} dispatch(es)`,
      () => this.dispatches().length >= count && this.dispatches(),
      timeoutMs,
    );
  }

  /** Waits until `count` calls arrived on `uri`. */
  waitForCalls(uri: string, count: number, timeoutMs = 5000): Promise<ReceivedCall[]> {
    return this.waitFor(
      `${count} call(s) to ${uri}`,
      () => this.calls(uri).length >= count && this.calls(uri),
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    this.channel.close();
    this.server.forceShutdown();
  }

  private answer(call: ReceivedCall): ReturnType<Responder> {
    const custom = this.responders.get(call.uri);
    if (custom) return custom(call);
    if (call.uri === ClientUri.DISPATCH || call.uri === ClientUri.STOP) return { status: 1, data: 'true' };
    return { status: 1, data: 'null' };
  }

  private summary(): string {
    return this.received.map((c) => `${c.uri} ${c.body}`).join(' | ') || '(nothing)';
  }
}

/** Parses a `GrpcResult.data`. */
export function data(result: WireResult): unknown {
  return result.data === '' ? null : parseJson(result.data);
}
