import { Injectable } from '@nestjs/common';

/** A registered executor name (`sj_job_executor`). */
export interface ExecutorRecord {
  namespaceId: string;
  groupName: string;
  executorInfo: string;
  /** The `executor-type` header of the registering client. */
  executorType: string;
  registeredAt: number;
}

/** Executor names announced by clients. Additive only: nothing is ever updated or removed (docs/protocol.md §3.2). */
@Injectable()
export class ExecutorRegistry {
  private readonly executors = new Map<string, ExecutorRecord>();

  /** Stores the names not yet known for the group; returns how many were new. */
  register(namespaceId: string, groupName: string, executorType: string, names: string[]): number {
    let added = 0;
    for (const executorInfo of names) {
      const key = `${namespaceId}\u0000${groupName}\u0000${executorInfo}`;
      if (this.executors.has(key)) continue;
      this.executors.set(key, {
        namespaceId,
        groupName,
        executorInfo,
        executorType,
        registeredAt: Date.now(),
      });
      added++;
    }
    return added;
  }

  list(): ExecutorRecord[] {
    return [...this.executors.values()];
  }
}
