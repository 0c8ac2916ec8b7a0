import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { TimerService } from '../common/timer.service.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { ClientChannels } from '../grpc/client-channels.service.js';
import { type BeatRecord, clientInfo, nodeKey, type NodeRecord } from './node.model.js';

/** Capacity of the heartbeat queue and how many beats one sweep processes (as the Java server). */
const QUEUE_CAPACITY = 1000;
const SWEEP_BATCH = 257;

/**
 * Client instances. A heartbeat is queued; the registration sweep turns it into (or refreshes) a node, so a
 * node becomes schedulable one sweep after its first beat. The liveness sweep revives nodes marked not
 * alive and drops nodes whose last processed beat is older than `nodeExpiryMs` (docs/protocol.md §3.1, §8.5).
 */
@Injectable()
export class NodeRegistry implements OnApplicationBootstrap {
  private readonly queue: BeatRecord[] = [];
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly channels: ClientChannels,
    private readonly timers: TimerService,
    private readonly logger: DevServerLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.every(this.options.sweepIntervalMs, () => this.registrationSweep());
    this.timers.every(this.options.livenessIntervalMs, () => this.livenessSweep());
  }

  /** Queues a heartbeat (dropped with a warning when the queue is full, as the Java server does). */
  enqueue(beat: BeatRecord): void {
    if (this.queue.length >= QUEUE_CAPACITY) {
      this.logger.warn(`heartbeat queue full, dropping beat of ${beat.hostId}`);
      return;
    }
    this.queue.push(beat);
  }

  /** Calls `fn` after every registration sweep (used by waiters). */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Processes queued heartbeats now. */
  registrationSweep(): void {
    const now = Date.now();
    for (const beat of this.queue.splice(0, SWEEP_BATCH)) {
      const key = nodeKey(beat.namespaceId, beat.groupName, beat.hostId);
      const existing = this.nodes.get(key);
      if (existing) {
        if (existing.alive || !this.channels.isBroken(key)) {
          existing.alive = true;
          existing.lastBeatAt = now;
        }
        continue;
      }
      const { receivedAt: _receivedAt, ...data } = beat;
      const node: NodeRecord = { ...data, key, registeredAt: now, lastBeatAt: now, alive: true };
      this.nodes.set(key, node);
      this.channels.open(key, node.hostIp, node.hostPort);
      this.logger.log(`node registered ${clientInfo(node)} (${node.namespaceId}/${node.groupName})`);
    }
    for (const fn of this.listeners) fn();
  }

  /** Drops expired nodes and revives the others unless their channel is broken. */
  livenessSweep(): void {
    const now = Date.now();
    for (const node of this.nodes.values()) {
      if (now - node.lastBeatAt > this.options.nodeExpiryMs) this.drop(node, 'heartbeat expired');
      else node.alive = !this.channels.isBroken(node.key);
    }
    for (const fn of this.listeners) fn();
  }

  /** Marks a node not alive after a failed server → client call. */
  markNotAlive(key: string): void {
    const node = this.nodes.get(key);
    if (node) node.alive = false;
  }

  get(key: string): NodeRecord | undefined {
    return this.nodes.get(key);
  }

  /** Every node in the table (alive or not). */
  all(): NodeRecord[] {
    return [...this.nodes.values()];
  }

  /** Alive nodes of a group, sorted by host-id (the order routing works on). */
  alive(namespaceId: string, groupName: string): NodeRecord[] {
    return this.all()
      .filter((n) => n.alive && n.namespaceId === namespaceId && n.groupName === groupName)
      .sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0));
  }

  private drop(node: NodeRecord, reason: string): void {
    this.nodes.delete(node.key);
    this.channels.close(node.key);
    this.logger.log(`node dropped ${clientInfo(node)}: ${reason}`);
  }
}
