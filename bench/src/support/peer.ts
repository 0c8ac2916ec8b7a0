import * as grpc from '@grpc/grpc-js';
import { unaryRequestService, type WireRequest, type WireResult } from 'nestjs-snail-job/protocol';
import { serverHeaders } from './wire.js';

type UnaryClient = grpc.Client & {
  unaryRequest(
    request: WireRequest,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: WireResult) => void,
  ): void;
};

/** Callback of {@link DriverPeer.dispatch}: the reply (or error) and the round trip in nanoseconds. */
export type DispatchCallback = (error: Error | null, reply: WireResult | undefined, ackNs: bigint) => void;

const TASK_ID = /"taskId":(\d+)/;
const TASK_SUCCESS = /"taskStatus":3/;

/**
 * The bench's stand-in for the SnailJob server: a bare grpc-js server for the client → server side (beat,
 * registration, result reports, map tasks, logs) that only counts what arrives, and a bare grpc-js client that
 * sends `/job/dispatch/v1` to the client under test. It does the least work a server could, so it is never the
 * bottleneck of what it measures.
 */
export class DriverPeer {
  /** Called for every result report with its taskId and whether it says SUCCESS. */
  onReport: (taskId: number, success: boolean) => void = () => undefined;
  /** Called for every map-task request with its number of sub-tasks. */
  onMapTask: (items: number) => void = () => undefined;
  /** Called for every log request with its number of entries. */
  onLogs: (entries: number) => void = () => undefined;
  readonly counts = {
    beats: 0,
    registers: 0,
    reports: 0,
    mapRequests: 0,
    mapItems: 0,
    logRequests: 0,
    logEntries: 0,
  };
  port = 0;
  private readonly server = new grpc.Server({ 'grpc.max_receive_message_length': 10 * 1024 * 1024 });
  private client: UnaryClient | undefined;
  private reqId = 0;
  private readonly headers = serverHeaders();

  async start(): Promise<this> {
    this.server.addService(unaryRequestService().service, {
      unaryRequest: (
        call: grpc.ServerUnaryCall<WireRequest, WireResult>,
        cb: grpc.sendUnaryData<WireResult>,
      ) => cb(null, this.answer(call.request)),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    return this;
  }

  /** Opens the S→C channel to the client under test. */
  connect(clientPort: number): void {
    this.client?.close();
    const Service = unaryRequestService();
    this.client = new Service(`127.0.0.1:${clientPort}`, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': 10 * 1024 * 1024,
    }) as unknown as UnaryClient;
  }

  /** Sends one `/job/dispatch/v1` with a 3 s deadline (the Java server's wait). */
  dispatch(body: string, callback: DispatchCallback): void {
    const started = process.hrtime.bigint();
    this.client!.unaryRequest(
      { reqId: String(this.reqId++), metadata: { uri: '/job/dispatch/v1', headers: this.headers }, body },
      { deadline: Date.now() + 3_000 },
      (error, reply) => callback(error, reply, process.hrtime.bigint() - started),
    );
  }

  /** Resolves once the client under test has registered its executors (its start-up is complete). */
  async waitRegistered(timeoutMs = 15_000): Promise<void> {
    await waitUntil(() => this.counts.registers > 0, timeoutMs, 'the client to register its executors');
  }

  async close(): Promise<void> {
    this.client?.close();
    this.client = undefined;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 1_000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private answer(request: WireRequest): WireResult {
    const uri = request.metadata?.uri ?? '';
    const reply: WireResult = { reqId: request.reqId, status: 1, message: '', data: 'true' };
    switch (uri) {
      case '/report/dispatch/result': {
        this.counts.reports++;
        const m = TASK_ID.exec(request.body);
        this.onReport(m ? Number(m[1]) : -1, TASK_SUCCESS.test(request.body));
        break;
      }
      case '/batch/report/job/map/task/v1': {
        const [arg] = JSON.parse(request.body) as [{ subTask: unknown[] }];
        this.counts.mapRequests++;
        this.counts.mapItems += arg.subTask.length;
        this.onMapTask(arg.subTask.length);
        break;
      }
      case '/batch/server/report/log': {
        const [entries] = JSON.parse(request.body) as [unknown[]];
        this.counts.logRequests++;
        this.counts.logEntries += entries.length;
        this.onLogs(entries.length);
        break;
      }
      case '/beat':
        this.counts.beats++;
        reply.data = '"PONG"';
        break;
      case '/register/job/executors':
        this.counts.registers++;
        break;
      case '/sync/version':
        reply.data = 'null';
        break;
    }
    return reply;
  }
}

/** Polls `condition` every 5 ms until it holds; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
