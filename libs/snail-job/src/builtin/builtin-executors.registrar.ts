import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import type { BoundHandler } from '../discovery/executor-definition.js';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import type { JobArgs } from '../job/job-args.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { TaskTracing } from '../tracing/task-tracing.js';
import { BuiltinExecutorName } from './builtin-names.js';
import { runHttpExecutor } from './http.executor.js';
import { CMD, runScriptExecutor, SHELL } from './script.executor.js';

/** Registers the built-in executors the options enable, beside the app's own (same registry, same names rule). */
@Injectable()
export class BuiltinExecutorsRegistrar implements OnModuleInit {
  private readonly logger = new Logger('SnailJob');

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly registry: ExecutorRegistry,
    private readonly tracing: TaskTracing,
  ) {}

  onModuleInit(): void {
    const { http, scripts } = this.options.builtinExecutors;
    if (http) {
      this.add(BuiltinExecutorName.HTTP, 'runHttp', (args) => runHttpExecutor(args, http));
    }
    if (scripts) {
      this.add(BuiltinExecutorName.SHELL, 'runShell', (args) => runScriptExecutor(SHELL, args, scripts));
      this.add(BuiltinExecutorName.CMD, 'runCmd', (args) => runScriptExecutor(CMD, args, scripts));
      this.logger.warn(
        `Script executors enabled (${BuiltinExecutorName.SHELL}, ${BuiltinExecutorName.CMD}): whoever can edit jobs of group "${this.options.group}" can run commands on this host; scripts are written to ${scripts.workspace}`,
      );
    }
  }

  private add(name: string, methodName: string, run: (args: JobArgs) => unknown): void {
    const handler: BoundHandler = {
      where: `BuiltinExecutors#${methodName}`,
      className: 'BuiltinExecutors',
      methodName,
      invoke: this.tracing.wrap(name, (args) => run(args as JobArgs)),
    };
    this.registry.add({ kind: 'plain', name, handler });
  }
}
