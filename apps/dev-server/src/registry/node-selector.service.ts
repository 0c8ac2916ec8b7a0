import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { matchesLabels } from './labels.js';
import type { LabelMap, NodeRecord } from './node.model.js';
import { NodeRegistry } from './node.registry.js';

/** `routeKey` values (docs/protocol.md §5.1). */
export enum RouteKey {
  CONSISTENT_HASH = 1,
  RANDOM = 2,
  LRU = 3,
  ROUND = 4,
  FIRST = 5,
  LAST = 6,
}

const VIRTUAL_NODES = 100;

function hash32(text: string): number {
  return createHash('md5').update(text).digest().readUInt32BE(0);
}

/** Node selection ("routing", docs/protocol.md §5.3) over the alive nodes of a group that match a job's labels. */
@Injectable()
export class NodeSelector {
  /** ROUND counters per allocKey (the job id), starting at 1 like the Java server. */
  private readonly rounds = new Map<string, number>();

  constructor(private readonly registry: NodeRegistry) {}

  /** Alive nodes of the group matching the labels, sorted by host-id. */
  candidates(namespaceId: string, groupName: string, jobLabels: LabelMap = {}): NodeRecord[] {
    return this.registry.alive(namespaceId, groupName).filter((n) => matchesLabels(n.labels, jobLabels));
  }

  /** Picks one node by route key; `undefined` when there is none. */
  pick(routeKey: number, allocKey: string, nodes: NodeRecord[]): NodeRecord | undefined {
    if (nodes.length === 0) return undefined;
    switch (routeKey) {
      case RouteKey.RANDOM:
        return nodes[randomInt(nodes.length)];
      // LRU: the Java implementation always ends up returning the smallest host-id [JAVA BUG], i.e. FIRST.
      case RouteKey.LRU:
      case RouteKey.FIRST:
        return nodes[0];
      case RouteKey.LAST:
        return nodes[nodes.length - 1];
      case RouteKey.CONSISTENT_HASH:
        return this.consistentHash(allocKey, nodes);
      case RouteKey.ROUND:
      default:
        // Unknown route keys fall back to ROUND.
        return this.round(allocKey, nodes);
    }
  }

  /** `hosts[counter % n]`, then counter + 1. */
  round(allocKey: string, nodes: NodeRecord[]): NodeRecord | undefined {
    if (nodes.length === 0) return undefined;
    const counter = this.rounds.get(allocKey) ?? 1;
    this.rounds.set(allocKey, counter + 1);
    return nodes[counter % nodes.length];
  }

  /** A hash ring with 100 virtual nodes per host-id: sticky per job while membership is stable. */
  private consistentHash(allocKey: string, nodes: NodeRecord[]): NodeRecord {
    const ring = nodes
      .flatMap((node) =>
        Array.from({ length: VIRTUAL_NODES }, (_, i) => ({ h: hash32(`${node.hostId}#${i}`), node })),
      )
      .sort((a, b) => a.h - b.h);
    const h = hash32(allocKey);
    return (ring.find((v) => v.h >= h) ?? ring[0]).node;
  }
}
