import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';

// docker-compose.yml runs the example app against the real SnailJob server. No Docker engine is
// needed here: the file is parsed and its wiring checked. Each check is a function so that the last
// block can prove it fails on a file broken in the way it guards against.

const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(fileURLToPath(new URL(path, root)), 'utf8');

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target?: number | string; published?: number | string }>;
  expose?: Array<string | number>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  volumes?: Array<string | { source?: string; target?: string }>;
  command?: string | string[];
  entrypoint?: string | string[];
  restart?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const SERVER = 'snail-job-server';
const EXAMPLE = 'example';
const MYSQL = 'mysql';
const SCHEMA = 'mysql-schema';
const REQUIRED_SNAIL_ENV = [
  'SNAIL_SERVER_HOST',
  'SNAIL_SERVER_PORT',
  'SNAIL_HOST_IP',
  'SNAIL_HOST_PORT',
  'SNAIL_BIND_HOST',
  'SNAIL_NAMESPACE',
  'SNAIL_GROUP_NAME',
  'SNAIL_TOKEN',
];
const SEED_DIR = 'docker/mysql-init';
const SEED_PATH = `${SEED_DIR}/20-demo-group.sql`;

const composeText = read('docker-compose.yml');

function service(c: Compose, name: string): Service {
  const s = c.services?.[name];
  expect(s, `service ${name}`).toBeDefined();
  return s!;
}

function env(s: Service): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(s.environment)) {
    for (const entry of s.environment) {
      const i = entry.indexOf('=');
      if (i > 0) out[entry.slice(0, i)] = entry.slice(i + 1);
    }
  } else {
    for (const [k, v] of Object.entries(s.environment ?? {})) if (v !== null) out[k] = String(v);
  }
  return out;
}

/** Container ports of `ports` (published) entries, with the host port each is published on. */
function publishedPorts(s: Service): Map<number, number | undefined> {
  const out = new Map<number, number | undefined>();
  for (const p of s.ports ?? []) {
    if (typeof p === 'object') {
      out.set(Number(p.target), p.published === undefined ? undefined : Number(p.published));
      continue;
    }
    const parts = String(p).split('/')[0]!.split(':');
    const container = Number(parts.at(-1));
    out.set(container, parts.length > 1 ? Number(parts.at(-2)) : undefined);
  }
  return out;
}

function dependsOn(s: Service): Record<string, string | undefined> {
  if (Array.isArray(s.depends_on)) return Object.fromEntries(s.depends_on.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([k, v]) => [k, v?.condition]));
}

function volumeMounts(s: Service): Array<{ source: string; target: string }> {
  return (s.volumes ?? []).map((v) => {
    if (typeof v === 'object') return { source: v.source ?? '', target: v.target ?? '' };
    const [source = '', target = ''] = v.split(':');
    return { source, target };
  });
}

function initScript(c: Compose): string {
  return [service(c, SCHEMA).command ?? []].flat().join('\n');
}

/** Every string value (not key, not comment) in the parsed file: what Compose interpolates. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

function healthTest(s: Service): string {
  const t = s.healthcheck?.test;
  return Array.isArray(t) ? t.join(' ') : (t ?? '');
}

/** `repo:tag` -> tag; undefined when the reference has no tag (which means `latest`). */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

/** Column -> value of the seed's `INSERT INTO sj_group_config (...) VALUES (...)` (quotes removed). */
function seedRow(sql: string): Record<string, string> {
  const m = /INSERT INTO sj_group_config\s*\(([^)]*)\)\s*VALUES\s*\(([^)]*)\)/.exec(sql);
  expect(m, 'INSERT INTO sj_group_config (...) VALUES (...)').not.toBeNull();
  const columns = m![1]!.split(',').map((col) => col.trim());
  const values = [...m![2]!.matchAll(/'([^']*)'|([^,\s][^,]*)/g)].map((v) => (v[1] ?? v[2]!).trim());
  expect(values.length, 'as many values as columns').toBe(columns.length);
  return Object.fromEntries(columns.map((col, i) => [col, values[i]!]));
}

function serverVersion(c: Compose): string {
  const image = service(c, SERVER).image ?? '';
  const m = /^opensnail\/snail-job:(2\.0\.\d+)$/.exec(image);
  expect(m, `server image ${image}`).not.toBeNull();
  return m![1]!;
}

const dockerfileText = (c: Compose): string => {
  const build = service(c, EXAMPLE).build;
  const dockerfile = typeof build === 'object' ? build.dockerfile : undefined;
  expect(dockerfile, 'example build.dockerfile').toBe('docker/example.Dockerfile');
  return read(dockerfile!);
};

type Check = (c: Compose) => void;

const checks = {
  'declares mysql, the schema init step, the SnailJob server and the example app': (c) => {
    expect(Object.keys(c.services ?? {}).sort()).toEqual([EXAMPLE, MYSQL, SCHEMA, SERVER].sort());
  },

  'pins the server to an opensnail/snail-job 2.0.x tag': (c) => {
    expect(serverVersion(c)).toMatch(/^2\.0\.\d+$/);
  },

  'publishes the gRPC (17888) and console (8080) ports of the server on the same host ports': (c) => {
    const ports = publishedPorts(service(c, SERVER));
    expect(ports.get(17888)).toBe(17888);
    expect(ports.get(8080)).toBe(8080);
  },

  'publishes the example app on port 3000, the port it listens on': (c) => {
    const example = service(c, EXAMPLE);
    expect(env(example).PORT).toBe('3000');
    expect(publishedPorts(example).get(3000)).toBe(3000);
  },

  'gives the example app every required SNAIL_* variable, non-empty': (c) => {
    const e = env(service(c, EXAMPLE));
    for (const name of REQUIRED_SNAIL_ENV) expect(e[name], name).toMatch(/\S/);
    expect(e.SNAIL_BIND_HOST).toBe('0.0.0.0');
  },

  'points the example app at the server service and its gRPC container port': (c) => {
    const e = env(service(c, EXAMPLE));
    expect(c.services[e.SNAIL_SERVER_HOST ?? ''], `SNAIL_SERVER_HOST=${e.SNAIL_SERVER_HOST}`).toBeDefined();
    expect(e.SNAIL_SERVER_HOST).toBe(SERVER);
    expect(publishedPorts(service(c, SERVER)).has(Number(e.SNAIL_SERVER_PORT))).toBe(true);
    expect(e.SNAIL_SERVER_PORT).toBe('17888');
  },

  'advertises a client address the server can dial: a service name and an exposed port': (c) => {
    const example = service(c, EXAMPLE);
    const e = env(example);
    expect(e.SNAIL_HOST_IP).toBe(EXAMPLE);
    expect(c.services[e.SNAIL_HOST_IP ?? '']).toBe(example);
    expect((example.expose ?? []).map(String)).toContain(e.SNAIL_HOST_PORT);
    expect(e.SNAIL_HOST_PORT).not.toBe(e.PORT);
  },

  'uses the namespace of the schema and the group and token that the seed creates': (c) => {
    const e = env(service(c, EXAMPLE));
    expect(e.SNAIL_NAMESPACE).toBe('764d604ec6fc45f68cd92514c40e9e1a');
    expect(e.SNAIL_GROUP_NAME).toBe('snail_job_demo_group');
    expect(e.SNAIL_TOKEN).toBe('SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj');
    const row = seedRow(read(SEED_PATH));
    expect(row.namespace_id).toBe(e.SNAIL_NAMESPACE);
    expect(row.group_name).toBe(e.SNAIL_GROUP_NAME);
    expect(row.token).toBe(e.SNAIL_TOKEN);
    expect(row.group_status, 'group enabled').toBe('1');
  },

  'starts in order: schema downloaded, mysql healthy, server healthy, then the example app': (c) => {
    expect(dependsOn(service(c, MYSQL))).toEqual({ [SCHEMA]: 'service_completed_successfully' });
    expect(dependsOn(service(c, SERVER))).toEqual({
      [SCHEMA]: 'service_completed_successfully',
      [MYSQL]: 'service_healthy',
    });
    expect(dependsOn(service(c, EXAMPLE))).toEqual({ [SERVER]: 'service_healthy' });
  },

  'has a healthcheck on every long-running service, each probing that service': (c) => {
    const longRunning = Object.keys(c.services).filter((n) => c.services[n]!.restart !== 'no');
    expect(longRunning.sort()).toEqual([EXAMPLE, MYSQL, SERVER].sort());
    for (const name of longRunning) {
      const hc = service(c, name).healthcheck;
      expect(hc?.disable, name).not.toBe(true);
      expect(healthTest(service(c, name)), name).toMatch(/\S/);
    }
    expect(healthTest(service(c, MYSQL))).toContain('snail_job.sj_namespace');
    expect(healthTest(service(c, SERVER))).toContain('/dev/tcp/127.0.0.1/8080');
    expect(healthTest(service(c, SERVER))).toContain('GET /snail-job/');
    expect(healthTest(service(c, SERVER))).toContain('/dev/tcp/127.0.0.1/17888');
    expect(healthTest(service(c, EXAMPLE))).toContain(`:${env(service(c, EXAMPLE)).PORT}/health`);
  },

  'connects the server to the mysql service with the database and user mysql creates': (c) => {
    const server = env(service(c, SERVER));
    const db = env(service(c, MYSQL));
    expect(server.SPRING_DATASOURCE_URL).toMatch(
      new RegExp(`^jdbc:mysql://${MYSQL}:3306/${db.MYSQL_DATABASE}\\?`),
    );
    expect(db.MYSQL_DATABASE).toBe('snail_job');
    expect(server.SPRING_DATASOURCE_URL).toContain('allowPublicKeyRetrieval=true');
    expect(server.SPRING_DATASOURCE_USERNAME).toBe(db.MYSQL_USER);
    expect(server.SPRING_DATASOURCE_PASSWORD).toBe(db.MYSQL_PASSWORD);
    expect(server.TZ).toBe(db.TZ);
    expect(service(c, MYSQL).command).toContain('--character-set-server=utf8mb4');
  },

  'downloads the schema of the same SnailJob release as the server image, checked by SHA-256': (c) => {
    const version = serverVersion(c);
    const schema = service(c, SCHEMA);
    const e = env(schema);
    expect(e.SNAIL_JOB_SQL_URL).toBe(
      `https://raw.githubusercontent.com/aizuda/snail-job/vsj${version}/doc/sql/snail_job_mysql.sql`,
    );
    expect(e.SNAIL_JOB_SQL_SHA256).toMatch(/^[0-9a-f]{64}$/);
    const script = initScript(c);
    expect(script).toMatch(/curl [^\n]*"\$\$SNAIL_JOB_SQL_URL"/);
    expect(script).toContain('echo "$$SNAIL_JOB_SQL_SHA256  $$schema.part" | sha256sum -c -');
  },

  "feeds the downloaded schema and our seed, in that order, into MySQL's init directory": (c) => {
    const initVolume = volumeMounts(service(c, SCHEMA)).find((m) => m.target === '/initdb')?.source;
    expect(initVolume, 'volume mounted at /initdb in the init step').toBeDefined();
    expect(c.volumes ?? {}).toHaveProperty(initVolume!);
    expect(volumeMounts(service(c, MYSQL))).toContainEqual({
      source: initVolume,
      target: '/docker-entrypoint-initdb.d',
    });
    expect(volumeMounts(service(c, SCHEMA))).toContainEqual({ source: `./${SEED_DIR}`, target: '/seed' });
    const script = initScript(c);
    const schemaFile = /^schema=\/initdb\/(\S+\.sql)$/m.exec(script)?.[1];
    const copy = /^cp \/seed\/(\S+) \/initdb\/(\S+\.sql)$/m.exec(script);
    expect(schemaFile, 'schema=/initdb/<file>.sql').toBeDefined();
    expect(copy, 'cp /seed/<file> /initdb/<file>.sql').not.toBeNull();
    expect(`${SEED_DIR}/${copy![1]}`).toBe(SEED_PATH);
    // MySQL runs the init files in name order; the seed needs the schema's tables.
    expect([copy![2]!, schemaFile!].sort()).toEqual([schemaFile, copy![2]]);
  },

  'pins every image, and the example Dockerfile base image, to a tag that is not latest': (c) => {
    const images = Object.entries(c.services).flatMap(([name, s]) => (s.image ? [[name, s.image]] : []));
    expect(images.length).toBeGreaterThanOrEqual(3);
    const froms = [...dockerfileText(c).matchAll(/^FROM\s+(\S+)/gm)].map((m) => ['Dockerfile', m[1]!]);
    expect(froms.length).toBeGreaterThan(0);
    for (const [where, image] of [...images, ...froms]) {
      const tag = imageTag(image!);
      expect(tag, `${where}: ${image}`).toBeDefined();
      expect(tag, `${where}: ${image}`).not.toMatch(/latest/i);
    }
  },

  'builds the example app from the repository and runs its compiled entry point': (c) => {
    const build = service(c, EXAMPLE).build;
    expect(typeof build === 'object' ? build.context : build).toBe('.');
    const dockerfile = dockerfileText(c);
    expect(dockerfile).toMatch(/^FROM node:20[.\-\w]*alpine/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "apps\/example\/dist\/main\.js"\]$/m);
    // BuildKit reads <Dockerfile>.dockerignore: keep host node_modules and builds out of the context.
    const ignore = read('docker/example.Dockerfile.dockerignore').split('\n');
    expect(ignore).toContain('**/node_modules');
    expect(ignore).toContain('**/dist');
  },

  'leaves no `$` for Compose to interpolate: every literal `$` is written `$$`': (c) => {
    const values = strings(c);
    expect(values.some((v) => v.includes('$$'))).toBe(true);
    for (const v of values) expect(v.replaceAll('$$', ''), v).not.toContain('$');
  },
} satisfies Record<string, Check>;

type CheckName = keyof typeof checks;

describe('docker-compose.yml', () => {
  const compose = parse(composeText) as Compose;
  for (const [name, check] of Object.entries(checks) as Array<[CheckName, Check]>) {
    it(name, () => check(compose));
  }
});

// Each mutation breaks the file in one way (its parsed form, or its text); the named check must then fail.
interface Mutation {
  check: CheckName;
  what: string;
  mutate?: (c: Compose) => void;
  text?: (t: string) => string;
}
const exampleEnv = (c: Compose) => c.services[EXAMPLE]!.environment as Record<string, string>;
const serverEnv = (c: Compose) => c.services[SERVER]!.environment as Record<string, string>;
const setCommand = (c: Compose, edit: (script: string) => string) => {
  c.services[SCHEMA]!.command = [edit(initScript(c))];
};

const mutations: Mutation[] = [
  {
    check: 'declares mysql, the schema init step, the SnailJob server and the example app',
    what: 'mysql removed',
    mutate: (c) => delete c.services[MYSQL],
  },
  {
    check: 'pins the server to an opensnail/snail-job 2.0.x tag',
    what: 'server image 1.9.0',
    mutate: (c) => (c.services[SERVER]!.image = 'opensnail/snail-job:1.9.0'),
  },
  {
    check: 'publishes the gRPC (17888) and console (8080) ports of the server on the same host ports',
    what: '17888 not published',
    mutate: (c) => (c.services[SERVER]!.ports = ['8080:8080']),
  },
  {
    check: 'publishes the example app on port 3000, the port it listens on',
    what: 'published on 3001',
    mutate: (c) => (c.services[EXAMPLE]!.ports = ['3001:3000']),
  },
  {
    check: 'gives the example app every required SNAIL_* variable, non-empty',
    what: 'SNAIL_TOKEN removed',
    mutate: (c) => delete exampleEnv(c).SNAIL_TOKEN,
  },
  {
    check: 'gives the example app every required SNAIL_* variable, non-empty',
    what: 'SNAIL_BIND_HOST empty',
    mutate: (c) => (exampleEnv(c).SNAIL_BIND_HOST = ''),
  },
  {
    check: 'points the example app at the server service and its gRPC container port',
    what: 'SNAIL_SERVER_HOST=localhost',
    mutate: (c) => (exampleEnv(c).SNAIL_SERVER_HOST = 'localhost'),
  },
  {
    check: 'points the example app at the server service and its gRPC container port',
    what: 'SNAIL_SERVER_PORT=8080 (the console)',
    mutate: (c) => (exampleEnv(c).SNAIL_SERVER_PORT = '8080'),
  },
  {
    check: 'advertises a client address the server can dial: a service name and an exposed port',
    what: 'SNAIL_HOST_IP=127.0.0.1',
    mutate: (c) => (exampleEnv(c).SNAIL_HOST_IP = '127.0.0.1'),
  },
  {
    check: 'advertises a client address the server can dial: a service name and an exposed port',
    what: 'client port not exposed',
    mutate: (c) => (c.services[EXAMPLE]!.expose = ['3000']),
  },
  {
    check: 'uses the namespace of the schema and the group and token that the seed creates',
    what: 'another token',
    mutate: (c) => (exampleEnv(c).SNAIL_TOKEN = 'SJ_another'),
  },
  {
    check: 'uses the namespace of the schema and the group and token that the seed creates',
    what: 'another group',
    mutate: (c) => (exampleEnv(c).SNAIL_GROUP_NAME = 'another_group'),
  },
  {
    check: 'starts in order: schema downloaded, mysql healthy, server healthy, then the example app',
    what: 'example waits only for the server to start',
    mutate: (c) => (c.services[EXAMPLE]!.depends_on = { [SERVER]: { condition: 'service_started' } }),
  },
  {
    check: 'starts in order: schema downloaded, mysql healthy, server healthy, then the example app',
    what: 'server depends_on as a plain list',
    mutate: (c) => (c.services[SERVER]!.depends_on = [MYSQL, SCHEMA]),
  },
  {
    check: 'starts in order: schema downloaded, mysql healthy, server healthy, then the example app',
    what: 'mysql does not wait for the schema',
    mutate: (c) => delete c.services[MYSQL]!.depends_on,
  },
  {
    check: 'has a healthcheck on every long-running service, each probing that service',
    what: 'server healthcheck removed',
    mutate: (c) => delete c.services[SERVER]!.healthcheck,
  },
  {
    check: 'has a healthcheck on every long-running service, each probing that service',
    what: 'mysql healthcheck disabled',
    mutate: (c) => (c.services[MYSQL]!.healthcheck = { disable: true }),
  },
  {
    check: 'has a healthcheck on every long-running service, each probing that service',
    what: 'example probed on the wrong port',
    mutate: (c) =>
      (c.services[EXAMPLE]!.healthcheck = { test: ['CMD', 'wget', '-q', 'http://127.0.0.1:8080/health'] }),
  },
  {
    check: 'connects the server to the mysql service with the database and user mysql creates',
    what: 'datasource on localhost',
    mutate: (c) =>
      (serverEnv(c).SPRING_DATASOURCE_URL =
        'jdbc:mysql://localhost:3306/snail_job?useSSL=false&allowPublicKeyRetrieval=true'),
  },
  {
    check: 'connects the server to the mysql service with the database and user mysql creates',
    what: 'another user',
    mutate: (c) => (serverEnv(c).SPRING_DATASOURCE_USERNAME = 'root'),
  },
  {
    check: 'connects the server to the mysql service with the database and user mysql creates',
    what: 'time zones differ',
    mutate: (c) => (serverEnv(c).TZ = 'Asia/Shanghai'),
  },
  {
    check: 'downloads the schema of the same SnailJob release as the server image, checked by SHA-256',
    what: 'server image 2.0.1, schema vsj2.0.2',
    mutate: (c) => (c.services[SERVER]!.image = 'opensnail/snail-job:2.0.1'),
  },
  {
    check: 'downloads the schema of the same SnailJob release as the server image, checked by SHA-256',
    what: 'no checksum',
    mutate: (c) => ((c.services[SCHEMA]!.environment as Record<string, string>).SNAIL_JOB_SQL_SHA256 = ''),
  },
  {
    check: 'downloads the schema of the same SnailJob release as the server image, checked by SHA-256',
    what: 'download not verified',
    mutate: (c) => setCommand(c, (s) => s.replace(/^.*sha256sum -c -$/m, 'true')),
  },
  {
    check: "feeds the downloaded schema and our seed, in that order, into MySQL's init directory",
    what: 'init volume not mounted in mysql',
    mutate: (c) => (c.services[MYSQL]!.volumes = ['mysql-data:/var/lib/mysql']),
  },
  {
    check: "feeds the downloaded schema and our seed, in that order, into MySQL's init directory",
    what: 'seed sorted before the schema',
    mutate: (c) => setCommand(c, (s) => s.replace('/initdb/20-demo-group.sql', '/initdb/00-demo-group.sql')),
  },
  {
    check: 'pins every image, and the example Dockerfile base image, to a tag that is not latest',
    what: 'mysql:latest',
    mutate: (c) => (c.services[MYSQL]!.image = 'mysql:latest'),
  },
  {
    check: 'pins every image, and the example Dockerfile base image, to a tag that is not latest',
    what: 'untagged curl image',
    mutate: (c) => (c.services[SCHEMA]!.image = 'curlimages/curl'),
  },
  {
    check: 'builds the example app from the repository and runs its compiled entry point',
    what: 'built from apps/example only',
    mutate: (c) =>
      (c.services[EXAMPLE]!.build = { context: './apps/example', dockerfile: 'docker/example.Dockerfile' }),
  },
  {
    check: 'leaves no `$` for Compose to interpolate: every literal `$` is written `$$`',
    what: 'single $ before SNAIL_JOB_SQL_URL',
    text: (t) => t.replace('"$$SNAIL_JOB_SQL_URL"', '"$SNAIL_JOB_SQL_URL"'),
  },
];

describe('each check fails on a file broken the way it guards against', () => {
  it('covers every check with at least one mutation', () => {
    const covered = new Set<string>(mutations.map((m) => m.check));
    expect(Object.keys(checks).filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(mutations)('$check — $what', ({ check, mutate, text }) => {
    const brokenText = text ? text(composeText) : composeText;
    const broken = parse(brokenText) as Compose;
    mutate?.(broken);
    expect(JSON.stringify(broken), 'the mutation changed the file').not.toBe(
      JSON.stringify(parse(composeText)),
    );
    expect(() => checks[check](broken)).toThrow();
  });

  it('reads image tags the way Docker does', () => {
    expect(imageTag('mysql:8.4.8')).toBe('8.4.8');
    expect(imageTag('registry:5000/team/app')).toBeUndefined();
    expect(imageTag('registry:5000/team/app:1.2')).toBe('1.2');
    expect(imageTag('node@sha256:abc')).toBeUndefined();
  });
});
