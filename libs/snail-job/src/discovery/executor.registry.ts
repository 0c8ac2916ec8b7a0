import { Injectable } from '@nestjs/common';
import { DUPLICATE_EXECUTOR } from '../snail-job.messages.js';
import { SnailJobDefinitionError } from '../errors/snail-job-definition.error.js';
import type { ExecutorDefinition } from './executor-definition.js';
import { closestName } from './closest-name.js';

/** All executors of this app, by name. */
@Injectable()
export class ExecutorRegistry {
  private readonly executors = new Map<string, ExecutorDefinition>();

  /** Adds an executor; a second executor of the same name is a start-up error. */
  add(definition: ExecutorDefinition): void {
    const existing = this.executors.get(definition.name);
    if (existing) {
      throw new SnailJobDefinitionError(
        DUPLICATE_EXECUTOR(definition.name, describe(existing), describe(definition)),
      );
    }
    this.executors.set(definition.name, definition);
  }

  get(name: string): ExecutorDefinition | undefined {
    return this.executors.get(name);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.executors.keys()].sort();
  }

  /** The registered name closest to `name`, if any is reasonably close. */
  closest(name: string): string | undefined {
    return closestName(name, this.names());
  }
}

function describe(d: ExecutorDefinition): string {
  return d.kind === 'plain' ? d.handler.where : `class ${d.className}`;
}
