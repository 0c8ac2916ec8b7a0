import * as grpc from '@grpc/grpc-js';
import {
  DEFAULT_NAMESPACE,
  DEFAULT_SERVER_TOKEN,
  DEMO_TOKEN,
  unaryRequestService,
  type WireRequest,
  type WireResult,
} from 'nestjs-snail-job/protocol';

/** A request the raw server received. */
export interface Received {
  uri: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

type Responder = (
  req: Received,
) => Partial<WireResult> | undefined | Promise<Partial<WireResult> | undefined>;

/**
 * A bare grpc-js SnailJob *server* peer for wire-level tests: records every C→S call verbatim and answers
 * with `respond` (default: PONG for /beat, status 1 + data true otherwise).
 */
export class RawServer {
  readonly received: Received[] = [];
  respond: Responder = () => undefined;
  private server = new grpc.Server();
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = new grpc.Server();
    this.server.addService(unaryRequestService().service, {
      unaryRequest: (
        call: grpc.ServerUnaryCall<WireRequest, WireResult>,
        cb: grpc.sendUnaryData<WireResult>,
      ) => {
        const r: Received = {
          uri: call.request.metadata?.uri ?? '',
          headers: call.request.metadata?.headers ?? {},
          body: call.request.body,
          at: Date.now(),
        };
        this.received.push(r);
        void Promise.resolve(this.respond(r)).then((custom) => {
          const base: WireResult = {
            reqId: call.request.reqId,
            status: 1,
            message: '',
            data: r.uri === '/beat' ? '"PONG"' : 'true',
          };
          cb(null, { ...base, ...custom });
        });
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    return this;
  }

  /** Calls (all so far) on one URI. */
  calls(uri: string): Received[] {
    return this.received.filter((r) => r.uri === uri);
  }

  /** Waits until `count` calls on `uri` arrived. */
  async waitFor(uri: string, count = 1, timeoutMs = 5_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls(uri).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${count} call(s) to ${uri}; got ${this.calls(uri).length}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.calls(uri);
  }

  /** Reports received so far, one parsed body argument each. */
  reports(): Record<string, unknown>[] {
    return this.calls('/report/dispatch/result').map(
      (r) => (JSON.parse(r.body) as Record<string, unknown>[])[0],
    );
  }

  /** Stops abruptly, like a killed process: open connections are reset, calls in flight get no reply. */
  kill(): void {
    this.server.forceShutdown();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.tryShutdown(() => resolve());
      setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 500).unref();
    });
  }
}

/** Server → client headers as the real server sends them. */
export function serverHeaders(token = DEMO_TOKEN): Record<string, string> {
  return {
    'SJ-TOKEN': token,
    token: DEFAULT_SERVER_TOKEN,
    'group-name': 'DEFAULT_SERVER',
    namespace: DEFAULT_NAMESPACE,
    'host-id': '1948000000000000001',
    'host-ip': '127.0.0.1',
    'host-port': '17888',
  };
}

type UnaryClient = grpc.Client & {
  unaryRequest(
    r: WireRequest,
    o: grpc.CallOptions,
    cb: (e: grpc.ServiceError | null, res?: WireResult) => void,
  ): void;
};

/** A bare S→C caller: sends one envelope to a client's gRPC server. */
export class RawCaller {
  private readonly client: UnaryClient;
  private reqId = 0;

  constructor(port: number) {
    const Service = unaryRequestService();
    this.client = new Service(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    ) as unknown as UnaryClient;
  }

  call(uri: string, body: string, headers: Record<string, string> = serverHeaders()): Promise<WireResult> {
    return new Promise((resolve, reject) =>
      this.client.unaryRequest(
        { reqId: String(this.reqId++), metadata: { uri, headers }, body },
        { deadline: Date.now() + 5_000 },
        (e, res) => (e ? reject(e) : resolve(res!)),
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}
