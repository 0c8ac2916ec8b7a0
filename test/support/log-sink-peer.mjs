// A SnailJob server peer in its own process, for load tests: it answers every C→S call (PONG for /beat),
// counts the log entries it receives, and dispatches tasks to a client on request. Commands and replies
// are JSON lines on stdin/stdout, so the measured process only runs the client.
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const protoPath = fileURLToPath(new URL('../../proto/snail_job.proto', import.meta.url));
const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: String, defaults: true });
const Service = grpc.loadPackageDefinition(definition).UnaryRequest;
const TOKEN = 'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj';

let entries = 0;
let requests = 0;
/** Entries whose message names another task than the entry's taskId (async-context mix-ups). */
let misrouted = 0;
const server = new grpc.Server();
server.addService(Service.service, {
  unaryRequest(call, callback) {
    const uri = call.request.metadata?.uri ?? '';
    if (uri === '/batch/server/report/log') {
      requests++;
      const batch = JSON.parse(call.request.body)[0];
      entries += batch.length;
      for (const entry of batch) {
        const message = entry.fieldList.find((f) => f.name === 'message')?.value ?? '';
        const named = /^task (\d+) /.exec(message)?.[1];
        if (named !== undefined && named !== String(entry.taskId)) misrouted++;
      }
    }
    callback(null, {
      reqId: call.request.reqId,
      status: 1,
      message: '',
      data: uri === '/beat' ? '"PONG"' : 'true',
    });
  },
});

const port = await new Promise((resolve, reject) =>
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
    e ? reject(e) : resolve(p),
  ),
);
let client;
const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

function dispatch(body) {
  return new Promise((resolve, reject) =>
    client.unaryRequest(
      { reqId: '1', metadata: { uri: '/job/dispatch/v1', headers: { 'SJ-TOKEN': TOKEN } }, body },
      { deadline: Date.now() + 10_000 },
      (e, res) => (e ? reject(e) : resolve(res)),
    ),
  );
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  const command = JSON.parse(line);
  if (command.connect)
    client = new Service(`127.0.0.1:${command.connect}`, grpc.credentials.createInsecure());
  if (command.dispatch) await Promise.all(command.dispatch.map(dispatch));
  if (command.exit) {
    client?.close();
    server.forceShutdown();
    process.exit(0);
  }
  send({ ok: true, entries, requests, misrouted });
});
send({ port });
