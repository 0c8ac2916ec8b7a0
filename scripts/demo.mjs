#!/usr/bin/env node
// npm run demo: the dev server (in this process) + two instances of the example app (child processes),
// every task type triggered once through the dev server's API, a table of what ran where, exit 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '../apps/dev-server/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const color = process.stdout.isTTY ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_c, s) => s;
const dim = (s) => color(2, s);
const bold = (s) => color(1, s);
const statusColor = (s) => color(s === 'SUCCESS' ? 32 : s === 'FAIL' ? 31 : 33, s);

const children = [];
let server;

async function main() {
  console.log(bold('\n▶ Starting the SnailJob dev server (gRPC + HTTP API on 127.0.0.1, ephemeral ports)'));
  server = await startDevServer({
    grpcHost: '127.0.0.1',
    grpcPort: 0,
    httpHost: '127.0.0.1',
    httpPort: 0,
    sweepIntervalMs: 200,
    logger: false,
  });
  console.log(`  gRPC 127.0.0.1:${server.grpcPort}   HTTP API ${server.baseUrl}/api`);
  console.log(`  console ${server.baseUrl}/   OpenAPI ${server.baseUrl}/snail-job/api`);

  console.log(
    bold(
      '\n▶ Starting two instances of apps/example (the nestjs-snail-job module, configured by SNAIL_* env)',
    ),
  );
  for (const name of ['node-a', 'node-b']) children.push(startExample(name, server.grpcPort));
  await server.waitForNodes(2, 30_000);
  await waitFor(async () => (await server.executors()).length >= 7, 15_000);
  for (const n of await server.nodes()) console.log(`  registered ${n.hostId} at ${n.hostIp}:${n.hostPort}`);
  console.log(`  executors: ${(await server.executors()).map((e) => e.executorInfo).join(', ')}`);

  console.log(bold('\n▶ Triggering every task type'));
  const rows = await Promise.all([
    run('CLUSTER', { executorInfo: 'helloJob', taskType: 1, argsStr: 'SnailJob' }, (b) => b.tasks[0]?.result),
    run(
      'BROADCAST',
      { executorInfo: 'broadcastJob', taskType: 2 },
      (b) => `${b.tasks.length} nodes answered`,
    ),
    run(
      'SHARDING',
      { executorInfo: 'shardJob', taskType: 3, argsStr: '["alpha","beta","gamma"]', parallelNum: 2 },
      (b) =>
        b.tasks
          .map((t) => JSON.parse(t.result).shard)
          .sort()
          .join(', '),
    ),
    run(
      'MAP (2 levels)',
      { executorInfo: 'orderMap', taskType: 4, argsStr: 'east,west', parallelNum: 4 },
      (b) => {
        const leaves = b.tasks.filter((t) => t.taskName === 'ORDER');
        return `${leaves.length} orders: ${leaves
          .map((t) => t.result)
          .slice(0, 2)
          .join('; ')}…`;
      },
    ),
    run(
      'MAP_REDUCE + merge',
      {
        executorInfo: 'salesMapReduce',
        taskType: 5,
        argsStr: '{"shardNum":3,"argsStr":"2026"}',
        parallelNum: 4,
      },
      (b) => {
        const reduces = b.tasks.filter((t) => t.taskName === 'REDUCE_TASK').map((t) => t.result);
        const merge = b.tasks.find((t) => t.taskName === 'MERGE_REDUCE_TASK');
        return `reduces [${reduces.join(', ')}] → merge ${merge?.result}`;
      },
    ),
    run(
      'CLUSTER, fails, 1 retry',
      { executorInfo: 'failingJob', taskType: 1, maxRetryTimes: 1, retryInterval: 1 },
      (b) => `retried ${b.tasks[0]?.retryCount ?? 0}×: ${b.tasks[0]?.message}`,
    ),
    run(
      'CLUSTER, stopped',
      { executorInfo: 'slowJob', taskType: 1, argsStr: '40' },
      () => 'stopped from the API after 1 s',
      async (batchId) => {
        await sleep(1_000);
        await server.stopBatch(batchId);
      },
    ),
    run(
      'CLUSTER, timeout 2 s',
      { executorInfo: 'slowJob', taskType: 1, argsStr: '40', executorTimeout: 2 },
      () => 'aborted by executorTimeout',
    ),
    runWorkflow(),
  ]);

  printTable(rows);
  await printLogs(rows);
  const unexpected = rows.filter((r) => r.status !== r.expected);
  if (unexpected.length > 0) {
    console.error(color(31, `\n✗ ${unexpected.length} scenario(s) did not end as expected`));
    process.exitCode = 1;
  } else {
    console.log(color(32, `\n✓ All ${rows.length} scenarios ended as expected.`));
  }
}

async function run(title, job, summarize, during) {
  const expected = title.includes('fails')
    ? 'FAIL'
    : title.includes('stopped') || title.includes('timeout')
      ? 'STOP'
      : 'SUCCESS';
  const { jobId, taskBatchId } = await server.createAndTrigger({ jobName: title, ...job });
  if (during) await during(taskBatchId);
  const batch = await server.waitForBatch(taskBatchId, 60_000);
  const nodes = new Set(batch.tasks.map((t) => t.node?.hostId).filter(Boolean));
  let summary;
  try {
    summary = String(summarize(batch) ?? '');
  } catch (e) {
    summary = `(${e.message})`;
  }
  return {
    title,
    executor: job.executorInfo,
    jobId,
    batchId: taskBatchId,
    status: batch.statusName,
    expected,
    tasks: batch.tasks.length,
    nodes: nodes.size,
    summary,
    taskIds: batch.tasks.map((t) => t.id),
  };
}

async function runWorkflow() {
  const ids = [];
  for (const step of ['extract', 'transform', 'load']) {
    ids.push(
      (
        await server.createJob({
          jobName: `workflow ${step}`,
          executorInfo: 'workflowStep',
          taskType: 1,
          argsStr: step,
        })
      ).id,
    );
  }
  const wf = await server.createWorkflow({
    name: 'demo-etl',
    nodes: ids.map((jobId, i) => ({ id: `n${i}`, jobId })),
    edges: [
      ['n0', 'n1'],
      ['n1', 'n2'],
    ],
    wfContext: { run: 'demo' },
  });
  const { workflowTaskBatchId } = await server.triggerWorkflow(wf.id);
  const done = await server.waitForWorkflowBatch(workflowTaskBatchId, 60_000);
  const context = JSON.parse(done.wfContext);
  const taskIds = [];
  let last;
  for (const node of done.nodes) {
    if (node.taskBatchId === null) continue;
    const tasks = (await server.getBatch(node.taskBatchId)).tasks;
    taskIds.push(...tasks.map((t) => t.id));
    last = tasks[0];
  }
  // As on the Java server, the last node's own context changes are reported but not merged into the run's
  // context (docs/dev-server.md, "Differences found against the real server"): show its result beside it.
  return {
    title: 'WORKFLOW (3 nodes)',
    executor: 'workflowStep',
    jobId: ids.join(','),
    batchId: workflowTaskBatchId,
    status: done.statusName,
    expected: 'SUCCESS',
    tasks: done.nodes.length,
    nodes: 1,
    summary: `visited ${JSON.stringify(last ? JSON.parse(last.result).visited : [])}; run context ${JSON.stringify({ run: context.run, visited: context.visited })}`,
    taskIds,
  };
}

function printTable(rows) {
  const head = ['scenario', 'executor', 'batch', 'status', 'tasks', 'nodes', 'result'];
  const data = rows.map((r) => [
    r.title,
    r.executor,
    String(r.batchId),
    r.status,
    String(r.tasks),
    String(r.nodes),
    r.summary,
  ]);
  const width = head.map((h, i) =>
    Math.min(i === 6 ? 70 : 40, Math.max(h.length, ...data.map((d) => d[i].length))),
  );
  const line = (cells, paint = (s) => s) =>
    cells
      .map((c, i) =>
        i === 3
          ? paint(c.padEnd(width[i]))
          : c.length > width[i]
            ? c.slice(0, width[i] - 1) + '…'
            : c.padEnd(width[i]),
      )
      .join('  ');
  console.log(bold('\n▶ What ran where\n'));
  console.log(bold(line(head)));
  console.log(width.map((w) => '─'.repeat(w)).join('  '));
  for (const d of data) console.log(line(d, statusColor));
}

async function printLogs(rows) {
  console.log(bold('\n▶ Real-time log lines the tasks shipped to the server (first 2 per scenario)'));
  for (const r of rows) {
    const lines = [];
    for (const id of r.taskIds.slice(0, 3)) {
      for (const e of await server.logs(id)) lines.push(e.fields);
    }
    const shown = lines.slice(0, 2).map((f) => `    ${dim(f.level.padEnd(5))} ${f.message.split('\n')[0]}`);
    console.log(`  ${r.title}${shown.length ? '' : dim('  (no remote log lines)')}`);
    for (const s of shown) console.log(s);
  }
}

function startExample(name, grpcPort) {
  const child = spawn(process.execPath, ['apps/example/dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      SNAIL_SERVER_HOST: '127.0.0.1',
      SNAIL_SERVER_PORT: String(grpcPort),
      SNAIL_HOST_IP: '127.0.0.1',
      SNAIL_HOST_PORT: '0',
      SNAIL_BIND_HOST: '127.0.0.1',
      SNAIL_LABELS: `instance:${name}`,
      PORT: '0',
      HTTP_HOST: '127.0.0.1',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = dim(`  [${name}] `);
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (/SnailJob|helloJob|ReportJobs|ERROR|WARN/.test(line))
          console.log(prefix + dim(line.replace(/^\[Nest\] \d+\s+-\s+/, '')));
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (!shuttingDown && code !== 0) console.error(`  [${name}] exited unexpectedly (${code ?? signal})`);
  });
  return child;
}

let shuttingDown = false;
async function shutdown() {
  shuttingDown = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', resolve);
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await server?.close();
}

async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

process.on('SIGINT', () => void shutdown().then(() => process.exit(130)));
main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => shutdown());
