import { Injectable } from '@nestjs/common';
import { DEFAULT_NAMESPACE } from 'nestjs-snail-job/protocol';
import { WaitTimeoutError } from '../errors/wait-timeout.error.js';
import { NotFoundError } from '../errors/not-found.error.js';
import { FaultInjector, type FaultSpec } from '../journal/fault-injector.service.js';
import { type JournalEntry, type JournalQuery, RequestJournal } from '../journal/request-journal.service.js';
import { type ConfigPushResult, ConfigPush } from '../registry/config-push.service.js';
import { type ExecutorRecord, ExecutorRegistry } from '../registry/executor.registry.js';
import { type GroupConfig, GroupRegistry } from '../registry/group.registry.js';
import { NodeRegistry } from '../registry/node.registry.js';
import { parseFaultInput, parseGroupInput } from './job.input.js';
import { type NodeView, nodeView } from './views.js';
import { Waiters } from './waiters.service.js';

/** Nodes, executors, groups, the request journal and fault injection. */
@Injectable()
export class ClusterApi {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly executorRegistry: ExecutorRegistry,
    private readonly groupRegistry: GroupRegistry,
    private readonly configPush: ConfigPush,
    private readonly journal: RequestJournal,
    private readonly faultInjector: FaultInjector,
    private readonly waiters: Waiters,
  ) {}

  /** Registered nodes (alive or not; `alive` says which are schedulable). */
  nodes(): NodeView[] {
    return this.registry.all().map(nodeView);
  }

  /** Resolves once at least `count` alive nodes are registered (optionally of one group). */
  async waitForNodes(count: number, timeoutMs: number, groupName?: string): Promise<NodeView[]> {
    const alive = () =>
      this.registry.all().filter((n) => n.alive && (groupName === undefined || n.groupName === groupName));
    const done = await this.waiters.until(() => alive().length >= count, timeoutMs);
    const views = alive().map(nodeView);
    if (!done) throw new WaitTimeoutError(`Waiting for ${count} node(s)`, timeoutMs, { nodes: views });
    return views;
  }

  executors(): ExecutorRecord[] {
    return this.executorRegistry.list();
  }

  groups(): Omit<GroupConfig, 'token'>[] {
    return this.groupRegistry.list().map(({ token: _token, ...rest }) => rest);
  }

  addGroup(body: unknown): Omit<GroupConfig, 'token'> {
    const { token: _token, ...rest } = this.groupRegistry.upsert(parseGroupInput(body));
    return rest;
  }

  async pushConfig(groupName: string, namespaceId = DEFAULT_NAMESPACE): Promise<ConfigPushResult> {
    const result = await this.configPush.push(namespaceId, groupName);
    if (!result) throw new NotFoundError('Group', `"${groupName}" in namespace "${namespaceId}"`);
    return result;
  }

  requests(query: JournalQuery = {}): JournalEntry[] {
    return this.journal.list(query);
  }

  injectFault(body: unknown): FaultSpec[] {
    this.faultInjector.inject(parseFaultInput(body));
    return this.faultInjector.list();
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  faults(): FaultSpec[] {
    return this.faultInjector.list();
  }
}
