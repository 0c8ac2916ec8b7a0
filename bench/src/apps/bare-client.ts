import * as grpc from '@grpc/grpc-js';
import {
  DEMO_TOKEN,
  unaryRequestService,
  type WireRequest,
  type WireResult,
} from 'nestjs-snail-job/protocol';
import { announceReady, commonHandlers, serveIpc } from '../support/ipc.js';
import { clientHeaders, reportBody } from '../support/wire.js';

/**
 * The ceiling's client: bare grpc-js, no Nest, no module. It does the least a SnailJob client must: decode the
 * dispatch, check the token, acknowledge, and send the result report (same envelope as the module's) back to the
 * server over one channel.
 */

type UnaryClient = grpc.Client & {
  unaryRequest(
    request: WireRequest,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: WireResult) => void,
  ): void;
};

interface Dispatch {
  jobId: number;
  taskBatchId: number;
  taskId: number;
  argsStr?: string;
}

/** dispatch→handler samples as [sent, latency] pairs in ns, as the bench app records them. */
let latencies: [string, number][] = [];

const Service = unaryRequestService();
const channel = new Service(
  `127.0.0.1:${Number(process.env.BENCH_SERVER_PORT)}`,
  grpc.credentials.createInsecure(),
) as unknown as UnaryClient;
const server = new grpc.Server();
let reqId = 0;
let headers = clientHeaders(0);

server.addService(Service.service, {
  unaryRequest: (call: grpc.ServerUnaryCall<WireRequest, WireResult>, cb: grpc.sendUnaryData<WireResult>) => {
    const request = call.request;
    if (request.metadata?.headers['SJ-TOKEN'] !== DEMO_TOKEN) {
      cb(null, { reqId: request.reqId, status: 0, message: 'Authentication failed', data: 'null' });
      return;
    }
    const [d] = JSON.parse(request.body) as [Dispatch];
    cb(null, { reqId: '0', status: 1, message: '', data: 'true' });
    // The "handler" of a bare client runs right here; for latencyJob dispatches record when it did.
    const now = process.hrtime.bigint();
    const sent = (JSON.parse(d.argsStr ?? '{}') as { jobParams?: string }).jobParams;
    if (sent !== undefined && /^\d+$/.test(sent)) latencies.push([sent, Number(now - BigInt(sent))]);
    channel.unaryRequest(
      {
        reqId: String(reqId++),
        metadata: { uri: '/report/dispatch/result', headers },
        body: reportBody(d.jobId, d.taskBatchId, d.taskId),
      },
      { deadline: Date.now() + 10_000 },
      () => undefined,
    );
  },
});

const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
    e ? reject(e) : resolve(p),
  ),
);
headers = clientHeaders(port);
serveIpc({
  ...commonHandlers,
  latencies: () => {
    const out = latencies;
    latencies = [];
    return out;
  },
});
announceReady({ port });
