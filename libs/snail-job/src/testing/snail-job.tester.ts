import type { DynamicModule, ForwardReference, ModuleMetadata, Type } from '@nestjs/common';
import { Test, type TestingModule, type TestingModuleBuilder } from '@nestjs/testing';
import { resolveOptions } from '../config/resolve-options.js';
import type {
  ResolvedSnailJobOptions,
  SnailJobModuleOptions,
} from '../config/snail-job-options.interface.js';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { TaskRunner } from '../execution/task-runner.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { LogReporter } from '../logging/log-reporter.js';
import { decodeData, encodeBody } from '../protocol/envelope.js';
import { Header } from '../protocol/headers.js';
import type { DispatchJobRequest, StopJobRequest } from '../protocol/payloads.js';
import { ClientUri } from '../protocol/uris.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { SNAIL_JOB_MODULE_OPTIONS } from '../snail-job.module-definition.js';
import { SnailJobModule } from '../snail-job.module.js';
import { ServerChannel } from '../transport/server-channel.js';
import { SnailJobTransport } from '../transport/snail-job.transport.js';
import { InMemoryChannel } from './in-memory-channel.js';
import { InMemoryServer } from './in-memory-server.js';
import type { RunningTest, TestRun, TestRunInput, TestTaskType } from './job-run.js';
import { OfflineTransport } from './offline-transport.js';

/** What {@link SnailJobTester.create} builds the app from. */
export interface SnailJobTesterOptions extends Pick<ModuleMetadata, 'imports' | 'providers'> {
  /**
   * Options of the `SnailJobModule` the tester adds when `imports` do not already import one (the server
   * address is never used: nothing leaves the process).
   */
  options?: SnailJobModuleOptions;
  /** More overrides on the testing module before it is compiled (mocks of the app's own providers). */
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /**
   * How long a stopped or timed-out run waits for handlers that were aborted to return, before it resolves.
   * @default 2000
   */
  abortedHandlerGraceMs?: number;
}

/** Counts handlers starting, for `RunningTest.started()`; records nothing else. */
class TesterInstrumentation extends SnailJobInstrumentation {
  onTaskStarted: () => void = () => {};

  override taskStarted(): void {
    this.onTaskStarted();
  }
}

/**
 * Runs the executors of a Nest app in a unit test, with no SnailJob server and no socket: the app's real
 * `SnailJobModule` dispatches, runs and reports, and an in-memory server plays SnailJob's part (sharding,
 * `doMap` children, the REDUCE and MERGE phases, workflow context, stop, timeout). See docs/testing.md.
 *
 * ```ts
 * const tester = await SnailJobTester.create({ providers: [ReportJobs] });
 * const run = await tester.execute('dailyReport', { params: '2024-01-01' });
 * expect(run.status).toBe('success');
 * await tester.close();
 * ```
 */
export class SnailJobTester {
  private constructor(
    /** The compiled testing module: get the app's providers from it. */
    readonly module: TestingModule,
    private readonly server: InMemoryServer,
    private readonly registry: ExecutorRegistry,
  ) {}

  /**
   * Compiles and starts a testing module of `imports` and `providers`, adding `SnailJobModule.forRoot()` when
   * no import brings one, with the SnailJob transport replaced by the in-memory server.
   */
  static async create(options: SnailJobTesterOptions = {}): Promise<SnailJobTester> {
    const imports = [...(options.imports ?? [])];
    if (!importsModule(imports, SnailJobModule)) imports.push(SnailJobModule.forRoot(options.options ?? {}));
    const instrumentation = new TesterInstrumentation();
    let builder = Test.createTestingModule({ imports, providers: options.providers ?? [] })
      .overrideProvider(SNAIL_JOB_OPTIONS)
      .useFactory({ factory: testOptions, inject: [SNAIL_JOB_MODULE_OPTIONS] })
      .overrideProvider(ServerChannel)
      .useClass(InMemoryChannel)
      .overrideProvider(SnailJobTransport)
      .useClass(OfflineTransport)
      .overrideProvider(SnailJobInstrumentation)
      .useValue(instrumentation);
    if (options.configure) builder = options.configure(builder);
    const module = await builder.compile();
    const resolved = module.get<ResolvedSnailJobOptions>(SNAIL_JOB_OPTIONS, { strict: false });
    const transport = module.get(SnailJobTransport, { strict: false });
    const channel = module.get(ServerChannel, { strict: false }) as InMemoryChannel;
    const runner = module.get(TaskRunner, { strict: false });
    const logs = module.get(LogReporter, { strict: false });
    const grace = options.abortedHandlerGraceMs ?? 2_000;
    const headers = { [Header.SJ_TOKEN]: resolved.token };
    let reqId = 0;
    const call = async (uri: string, arg: unknown) =>
      transport.handle({ reqId: String(++reqId), metadata: { uri, headers }, body: encodeBody([arg]) });
    const server = new InMemoryServer(
      {
        dispatch: async (request: DispatchJobRequest) => {
          const reply = await call(ClientUri.DISPATCH, request);
          return { accepted: reply.status === 1 && decodeData(reply.data) === true, message: reply.message };
        },
        stop: async (request: StopJobRequest) => {
          await call(ClientUri.STOP, request);
        },
        settle: async () => {
          const until = Date.now() + grace;
          while (runner.stats().abandoned > 0 && Date.now() < until) {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          await logs.flush(1_000);
        },
      },
      { namespace: resolved.namespace, group: resolved.group },
    );
    channel.connect((uri, args) => server.handle(uri, args));
    instrumentation.onTaskStarted = () => server.taskStarted();
    await module.init();
    return new SnailJobTester(module, server, module.get(ExecutorRegistry, { strict: false }));
  }

  /** Names of the app's executors, sorted. */
  executors(): string[] {
    return this.registry.names();
  }

  /** Runs executor `name` as a batch and resolves once it ended (success, failure, stop or timeout). */
  execute(name: string, input: TestRunInput = {}): Promise<TestRun> {
    return this.start(name, input).done;
  }

  /** Starts executor `name` as a batch; use the handle to wait for its handlers, stop it, or await the end. */
  start(name: string, input: TestRunInput = {}): RunningTest {
    return this.server.start(name, input.taskType ?? this.defaultTaskType(name), input);
  }

  /** Shuts the app down (running tasks are aborted with reason `shutdown`). */
  async close(): Promise<void> {
    await this.module.close();
  }

  private defaultTaskType(name: string): TestTaskType {
    const executor = this.registry.get(name);
    if (!executor) {
      const known = this.registry.names();
      const closest = this.registry.closest(name);
      throw new Error(
        `No executor "${name}" in this app; its executors: ${known.length > 0 ? known.join(', ') : '(none)'}.${
          closest ? ` Did you mean "${closest}"?` : ''
        }`,
      );
    }
    if (executor.kind === 'plain') return 'cluster';
    return executor.reduce || executor.merge ? 'mapReduce' : 'map';
  }
}

/** The module options resolved as usual, minus what a unit test must not touch. */
function testOptions(options: SnailJobModuleOptions): ResolvedSnailJobOptions {
  const resolved = resolveOptions(options);
  return {
    ...resolved,
    client: { ...resolved.client, host: '127.0.0.1', port: 0 },
    health: false,
    metrics: false,
    eventLoopStallMs: 0,
    outboxDir: undefined,
    shutdownGraceMs: Math.min(resolved.shutdownGraceMs, 1_000),
  };
}

type Importable = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/** Whether `target` is imported anywhere in the static import graph of `imports`. */
function importsModule(imports: readonly Importable[], target: Type, seen = new Set<unknown>()): boolean {
  for (const entry of imports) {
    if (!entry || seen.has(entry) || entry instanceof Promise) continue;
    seen.add(entry);
    const resolved: unknown =
      typeof entry === 'object' && 'forwardRef' in entry ? (entry as ForwardReference).forwardRef() : entry;
    if (resolved === target) return true;
    if (typeof resolved === 'function') {
      const nested = (Reflect.getMetadata('imports', resolved) ?? []) as Importable[];
      if (importsModule(nested, target, seen)) return true;
    } else if (resolved && typeof resolved === 'object' && 'module' in resolved) {
      const dynamic = resolved as DynamicModule;
      if (dynamic.module === target) return true;
      const nested = [
        ...((Reflect.getMetadata('imports', dynamic.module) ?? []) as Importable[]),
        ...(dynamic.imports ?? []),
      ];
      if (importsModule(nested, target, seen)) return true;
    }
  }
  return false;
}
