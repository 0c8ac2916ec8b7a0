/** Labels of a node or a job (values should be strings; they are compared as-is). */
export type LabelMap = Record<string, unknown>;

/** What a client's `/beat` headers say about it (captured once per host-id, docs/protocol.md §8.4). */
export interface NodeIdentity {
  namespaceId: string;
  groupName: string;
  hostId: string;
  hostIp: string;
  hostPort: number;
  labels: LabelMap;
  extAttrs: { executorType?: string; systemVersion?: string };
}

/** A heartbeat waiting for the registration sweep (what `/beat` captured from the headers). */
export interface BeatRecord extends NodeIdentity {
  receivedAt: number;
}

/** A registered client instance (the in-memory instance table of docs/protocol.md §8.5). */
export interface NodeRecord extends NodeIdentity {
  /** `namespace/group/hostId`. */
  key: string;
  registeredAt: number;
  /** When the last heartbeat was processed (the expiry clock). */
  lastBeatAt: number;
  /** False after a failed server → client call, until the next liveness sweep or processed heartbeat. */
  alive: boolean;
}

/** `hostId@ip:port`, the form SnailJob stores as a task's `client_info`. */
export function clientInfo(node: Pick<NodeRecord, 'hostId' | 'hostIp' | 'hostPort'>): string {
  return `${node.hostId}@${node.hostIp}:${node.hostPort}`;
}

/** Key of a node in the instance table. */
export function nodeKey(namespaceId: string, groupName: string, hostId: string): string {
  return `${namespaceId}/${groupName}/${hostId}`;
}
