import { Inject, Injectable } from '@nestjs/common';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';

/**
 * One auto-increment sequence shared by every table (jobs, batches, tasks, workflows, …). Ids are unique
 * across tables, so a client that mixes up `taskId` and `taskBatchId` is caught by the tests.
 */
@Injectable()
export class IdGenerator {
  private next: bigint;

  constructor(@Inject(DEV_SERVER_OPTIONS) options: ResolvedDevServerOptions) {
    this.next = options.idBase;
  }

  /** The next id. */
  take(): bigint {
    return this.next++;
  }

  /** Continues after `id` (ids loaded from a data directory are never handed out again). */
  advancePast(id: bigint): void {
    if (id >= this.next) this.next = id + 1n;
  }
}
