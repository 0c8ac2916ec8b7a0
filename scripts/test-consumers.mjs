#!/usr/bin/env node
// npm run test:consumers [name…]: packs the library as npm would publish it, then builds throw-away Nest apps
// from test/consumers/<name>/ in a temporary directory, each installed with a plain `npm install` of the
// tarball, and runs each against the dev server: one job of each plain task type and a map-reduce, results
// read back, /health and /actuator/prometheus answering, then the app's own e2e test (Jest or Vitest) if it
// has one. What each app covers and how to read a failure: docs/installation.md.
//
// Environment: CONSUMERS_KEEP=1 keeps the temporary directory; CONSUMERS_INSTALL_JOBS (2) parallel installs.
// npm's own cache (npm_config_cache, default ~/.npm) is shared by all installs, so a package is fetched once.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const templates = path.join(root, 'test/consumers');
const devServerMain = path.join(root, 'apps/dev-server/dist/main.js');
const TOKEN = 'SJ_consumer_token_0123456789abcdef';

/** Every child process this script starts, so that each can be stopped by PID on any exit path. */
const children = new Set();

async function main() {
  const wanted = process.argv.slice(2);
  const names = fs
    .readdirSync(templates, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'shared')
    .map((d) => d.name)
    .filter((n) => wanted.length === 0 || wanted.includes(n))
    .sort();
  if (names.length === 0) throw new Error(`no consumer app matches ${wanted.join(', ')}`);
  if (!fs.existsSync(devServerMain)) await run('npm', ['run', 'build', '--silent'], { cwd: root });

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'snail-consumers-'));
  const results = [];
  let server;
  try {
    const t0 = Date.now();
    // `npm pack` runs the package's prepack script (the build), as `npm publish` would.
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: path.join(root, 'libs/snail-job'),
      quiet: true,
    });
    const tarball = path.join(work, JSON.parse(packed.stdout)[0].filename);
    log(`packed ${path.basename(tarball)} in ${seconds(t0)}`);

    for (const name of names) prepare(name, work, tarball);
    await installAll(names, work, results);

    server = await startDevServer();
    log(`dev server: gRPC 127.0.0.1:${server.grpcPort}, HTTP ${server.url}`);
    for (const name of names) {
      const result = results.find((r) => r.name === name);
      if (result.error) continue;
      try {
        await exercise(name, path.join(work, name), server, result);
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error);
      }
    }
  } finally {
    if (server) await stop(server.child);
    if (process.env.CONSUMERS_KEEP === '1') log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }

  console.log('\nconsumer app              install   build    jobs     e2e      result');
  for (const r of results) {
    const cell = (v) => (v === undefined ? '-' : v).padEnd(9);
    console.log(
      `${r.name.padEnd(26)}${cell(r.install)}${cell(r.build)}${cell(r.jobs)}${cell(r.e2e)}${r.error ? `FAIL: ${r.error}` : 'ok'}`,
    );
  }
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) process.exitCode = 1;
}

/** Copies the shared sources, then the app's own files over them; depends on the tarball as `nestjs-snail-job`. */
function prepare(name, work, tarball) {
  const dir = path.join(work, name);
  fs.cpSync(path.join(templates, 'shared'), dir, { recursive: true });
  fs.cpSync(path.join(templates, name), dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, 'nestjs-snail-job': `file:${tarball}` };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** `npm install` of every app, a few at a time (the downloads dominate; one cache serves all of them). */
async function installAll(names, work, results) {
  const queue = [...names];
  const jobs = Number(process.env.CONSUMERS_INSTALL_JOBS ?? 2);
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const result = { name };
      results.push(result);
      const t0 = Date.now();
      try {
        await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
          cwd: path.join(work, name),
          quiet: true,
        });
        result.install = seconds(t0);
        log(`${name}: npm install in ${result.install}`);
      } catch (error) {
        result.error = `npm install: ${error.message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  results.sort((a, b) => a.name.localeCompare(b.name));
}

/** Build, boot, run the jobs, check the HTTP routes, stop by PID; then the app's own e2e test. */
async function exercise(name, dir, server, result) {
  let t0 = Date.now();
  await run('npm', ['run', 'build', '--silent'], { cwd: dir, quiet: true });
  result.build = seconds(t0);

  t0 = Date.now();
  const group = `${name}-app`;
  await server.api('POST', '/groups', { groupName: group, token: TOKEN });
  const app = spawnTracked(process.execPath, ['dist/main.js'], { cwd: dir, env: snailEnv(server, group) });
  try {
    const port = Number((await app.waitFor(/CONSUMER_HTTP_PORT=(\d+)/, 30_000))[1]);
    const extra = fs.existsSync(path.join(dir, 'consumer.json'))
      ? JSON.parse(fs.readFileSync(path.join(dir, 'consumer.json'), 'utf8')).extraJobs
      : [];
    await waitForExecutors(server, group, [
      'consumerCluster',
      'consumerBroadcast',
      'consumerSharding',
      'consumerMapReduce',
      ...extra.map((e) => e.job.executorInfo),
    ]);
    await checkJobs(server, group, extra);
    await checkRoutes(port);
  } catch (error) {
    throw new Error(`${error.message}\n--- app output ---\n${app.output()}`, { cause: error });
  } finally {
    await stop(app.child);
  }
  result.jobs = seconds(t0);

  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (manifest.scripts?.['test:e2e']) {
    t0 = Date.now();
    const e2eGroup = `${name}-e2e`;
    await server.api('POST', '/groups', { groupName: e2eGroup, token: TOKEN });
    await run('npm', ['run', 'test:e2e', '--silent'], {
      cwd: dir,
      env: snailEnv(server, e2eGroup),
      quiet: true,
    });
    result.e2e = seconds(t0);
  }
  log(`${name}: ok`);
}

async function checkJobs(server, group, extra) {
  const cases = [
    {
      title: 'CLUSTER',
      job: { executorInfo: 'consumerCluster', taskType: 'CLUSTER', argsStr: 'hello' },
      check: (b) => expectEqual(JSON.parse(b.tasks[0].result), { echo: 'hello' }),
    },
    {
      title: 'BROADCAST',
      job: { executorInfo: 'consumerBroadcast', taskType: 'BROADCAST' },
      check: (b) => expectEqual(b.tasks[0].result, 'broadcast ok'),
    },
    {
      title: 'SHARDING',
      job: {
        executorInfo: 'consumerSharding',
        taskType: 'SHARDING',
        argsStr: '["a","b","c"]',
        parallelNum: 3,
      },
      check: (b) =>
        expectEqual(
          b.tasks.map((t) => JSON.parse(t.result)).sort((x, y) => x.shard - y.shard),
          ['a', 'b', 'c'].map((params, shard) => ({ shard, of: 3, params })),
        ),
    },
    {
      title: 'MAP_REDUCE',
      job: {
        executorInfo: 'consumerMapReduce',
        taskType: 'MAP_REDUCE',
        argsStr: '{"shardNum":2}',
        parallelNum: 2,
      },
      check: (b) => expectEqual(b.tasks.find((t) => t.taskName === 'MERGE_REDUCE_TASK')?.result, '100'),
    },
    ...extra.map((e) => ({ ...e, check: (b) => expectEqual(b.tasks[0].result, e.expect) })),
  ];
  for (const c of cases) {
    const { taskBatchId } = await server.api('POST', '/trigger', { groupName: group, ...c.job });
    const batch = await server.api('GET', `/batches/${taskBatchId}/wait?timeoutMs=20000`);
    if (batch.statusName !== 'SUCCESS') throw new Error(`${c.title}: batch ${JSON.stringify(batch)}`);
    try {
      c.check(batch);
    } catch (error) {
      throw new Error(`${c.title}: ${error.message}`, { cause: error });
    }
  }
}

async function checkRoutes(port) {
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  const body = await health.json();
  if (health.status !== 200 || body.status !== 'ok')
    throw new Error(`/health answered ${health.status} ${JSON.stringify(body)}`);
  const metrics = await fetch(`http://127.0.0.1:${port}/actuator/prometheus`);
  const text = await metrics.text();
  for (const name of [
    'job_task_client_execution_duration_count',
    'rpc_request_total',
    'process_cpu_seconds_total',
  ])
    if (metrics.status !== 200 || !text.includes(name))
      throw new Error(`/actuator/prometheus answered ${metrics.status} without ${name}`);
}

/** Waits for the node to be schedulable (one registration sweep after its first beat) and its executors known. */
async function waitForExecutors(server, group, names) {
  await server.api('GET', `/nodes/wait?count=1&timeoutMs=30000&groupName=${group}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const known = new Set(
      (await server.api('GET', '/executors')).filter((e) => e.groupName === group).map((e) => e.executorInfo),
    );
    const missing = names.filter((n) => !known.has(n));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`executors never registered: ${missing.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startDevServer() {
  const child = spawnTracked(process.execPath, [devServerMain], {
    cwd: root,
    env: { ...process.env, DEV_SERVER_GRPC_PORT: '0', DEV_SERVER_HTTP_PORT: '0', DEV_SERVER_SWEEP_MS: '200' },
  });
  const [, grpcPort, url] = await child.waitFor(/gRPC [\d.]+:(\d+), HTTP API (http:\/\/\S+)\/api/, 30_000);
  const api = async (method, p, body) => {
    const res = await fetch(`${url}/api${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`dev server ${method} ${p} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return { child: child.child, grpcPort: Number(grpcPort), url, api };
}

function snailEnv(server, group) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SNAIL_')));
  delete env.NODE_OPTIONS;
  return {
    ...env,
    SNAIL_SERVER_HOST: '127.0.0.1',
    SNAIL_SERVER_PORT: String(server.grpcPort),
    SNAIL_HOST_IP: '127.0.0.1',
    SNAIL_BIND_HOST: '127.0.0.1',
    SNAIL_HOST_PORT: '0',
    SNAIL_GROUP_NAME: group,
    SNAIL_TOKEN: TOKEN,
    DEV_SERVER_URL: server.url,
  };
}

/** Starts a process, collects its output, and lets a caller wait for a line. */
function spawnTracked(command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  const waiters = [];
  const onData = (d) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const waitFor = (pattern, timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}`)), timeoutMs);
      const onExit = () => {
        clearTimeout(timer);
        reject(new Error(`process exited before printing ${pattern}:\n${out}`));
      };
      child.once('exit', onExit);
      const check = () => {
        const m = pattern.exec(out);
        if (m) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(m);
        } else waiters.push(check);
      };
      check();
    });
  return { child, waitFor, output: () => out };
}

/** Runs a command to completion; rejects with its output on a non-zero exit. */
function run(command, args, { cwd, env = process.env, quiet = false }) {
  return new Promise((resolve, reject) => {
    const { child, output } = spawnTracked(command, args, { cwd, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve({ stdout });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${output()}`));
    });
    if (!quiet) child.stdout.pipe(process.stdout);
  });
}

/** SIGTERM by PID, SIGKILL after 10 s. */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function expectEqual(actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function seconds(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

function log(message) {
  console.log(`[consumers] ${message}`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children) if (child.pid) process.kill(child.pid, 'SIGKILL');
    process.exit(1);
  });
}

main().catch((error) => {
  console.error(error);
  for (const child of children) if (child.pid) process.kill(child.pid, 'SIGKILL');
  process.exitCode = 1;
});
