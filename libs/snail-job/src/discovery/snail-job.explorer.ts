import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { SnailJobMetadata } from '../decorators/snail-job.decorator.js';
import type { StageMetadata } from '../decorators/stage.decorators.js';
import { SnailJobDefinitionError } from '../errors/snail-job-definition.error.js';
import { ROOT_MAP } from '../job/task-names.js';
import { withParams } from '../params/params-invoker.js';
import { SNAIL_JOB_EXECUTOR, SNAIL_JOB_STAGE } from '../snail-job.constants.js';
import {
  DUPLICATE_STAGE,
  mapTaskDecorator,
  NOT_SINGLETON,
  STAGE_OUTSIDE_EXECUTOR,
} from '../snail-job.messages.js';
import type { BoundHandler } from './executor-definition.js';
import { ExecutorRegistry } from './executor.registry.js';

/** Finds `@SnailJob` methods and classes in every provider at bootstrap and fills the registry. */
@Injectable()
export class SnailJobExplorer implements OnModuleInit {
  private readonly logger = new Logger('SnailJob');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly registry: ExecutorRegistry,
  ) {}

  onModuleInit(): void {
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      this.explore(wrapper, instance);
    }
  }

  private explore(wrapper: InstanceWrapper, instance: object): void {
    const prototype = Object.getPrototypeOf(instance) as object | null;
    if (!prototype) return;
    const className = instance.constructor?.name ?? String(wrapper.name);
    const classMeta = Reflect.getMetadata(SNAIL_JOB_EXECUTOR, instance.constructor) as
      SnailJobMetadata | undefined;
    const stages: { meta: StageMetadata; handler: BoundHandler }[] = [];

    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[methodName];
      if (typeof method !== 'function') continue;
      const where = `${className}#${methodName}`;
      const call = (args: unknown) => (method as (a: unknown) => unknown).call(instance, args);
      const bind = (executor: SnailJobMetadata): BoundHandler => ({
        where,
        className,
        methodName,
        invoke: withParams(executor.name, executor.params, call),
      });
      const methodMeta = Reflect.getMetadata(SNAIL_JOB_EXECUTOR, method) as SnailJobMetadata | undefined;
      const stageMeta = Reflect.getMetadata(SNAIL_JOB_STAGE, method) as StageMetadata | undefined;
      if (methodMeta) {
        this.requireSingleton(wrapper, where);
        this.registry.add({ kind: 'plain', name: methodMeta.name, handler: bind(methodMeta) });
      }
      if (stageMeta) {
        if (!classMeta)
          throw new SnailJobDefinitionError(STAGE_OUTSIDE_EXECUTOR(where, decoratorName(stageMeta)));
        stages.push({ meta: stageMeta, handler: bind(classMeta) });
      }
    }

    if (classMeta) {
      this.requireSingleton(wrapper, `class ${className}`);
      this.registry.add(buildMapExecutor(classMeta.name, className, stages));
      if (!stages.some((s) => s.meta.stage === 'map' && s.meta.taskName === ROOT_MAP)) {
        this.logger.warn(
          `Map executor "${classMeta.name}" (class ${className}) has no @MapTask() root handler: its ROOT_MAP tasks will fail. Add a method decorated with @MapTask().`,
        );
      }
    }
  }

  private requireSingleton(wrapper: InstanceWrapper, where: string): void {
    if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient) {
      throw new SnailJobDefinitionError(NOT_SINGLETON(where));
    }
  }
}

function decoratorName(meta: StageMetadata): string {
  if (meta.stage === 'map') return mapTaskDecorator(meta.taskName);
  return meta.stage === 'reduce' ? '@ReduceTask()' : '@MergeTask()';
}

function buildMapExecutor(
  name: string,
  className: string,
  stages: { meta: StageMetadata; handler: BoundHandler }[],
) {
  const mapTasks = new Map<string, BoundHandler>();
  let reduce: BoundHandler | undefined;
  let merge: BoundHandler | undefined;
  for (const { meta, handler } of stages) {
    if (meta.stage === 'map') {
      const existing = mapTasks.get(meta.taskName);
      if (existing)
        throw new SnailJobDefinitionError(
          DUPLICATE_STAGE(name, decoratorName(meta), existing.where, handler.where),
        );
      mapTasks.set(meta.taskName, handler);
    } else if (meta.stage === 'reduce') {
      if (reduce)
        throw new SnailJobDefinitionError(
          DUPLICATE_STAGE(name, '@ReduceTask()', reduce.where, handler.where),
        );
      reduce = handler;
    } else {
      if (merge)
        throw new SnailJobDefinitionError(DUPLICATE_STAGE(name, '@MergeTask()', merge.where, handler.where));
      merge = handler;
    }
  }
  return { kind: 'map' as const, name, className, mapTasks, reduce, merge };
}
