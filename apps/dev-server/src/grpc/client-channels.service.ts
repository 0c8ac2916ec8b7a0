import * as grpc from '@grpc/grpc-js';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { unaryRequestService, type WireResult } from 'nestjs-snail-job/protocol';

/** 10 MiB, SnailJob's inbound message limit on both sides. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** A request as sent to a client. */
export interface OutboundRequest {
  reqId: number;
  metadata: { uri: string; headers: Record<string, string> };
  body: string;
}

interface UnaryClient extends grpc.Client {
  unaryRequest(
    request: OutboundRequest,
    callback: (error: grpc.ServiceError | null, result?: WireResult) => void,
  ): grpc.ClientUnaryCall;
}

/**
 * One grpc-js client per registered node, dialled at the node's advertised `host-ip:host-port` (docs/protocol.md §1.1).
 * Like the Java server, a call that outlives its wait is abandoned but not cancelled.
 */
@Injectable()
export class ClientChannels implements OnModuleDestroy {
  private readonly clients = new Map<string, UnaryClient>();
  private readonly inflight = new Set<grpc.ClientUnaryCall>();

  /** Creates the channel of a node (idempotent). */
  open(nodeKey: string, host: string, port: number): void {
    if (this.clients.has(nodeKey)) return;
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const Ctor = unaryRequestService();
    const client = new Ctor(address, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    }) as unknown as UnaryClient;
    this.clients.set(nodeKey, client);
  }

  /** Shuts a node's channel down. */
  close(nodeKey: string): void {
    this.clients.get(nodeKey)?.close();
    this.clients.delete(nodeKey);
  }

  /** True when the channel is in TRANSIENT_FAILURE or SHUTDOWN (or missing). */
  isBroken(nodeKey: string): boolean {
    const client = this.clients.get(nodeKey);
    if (!client) return true;
    const state = client.getChannel().getConnectivityState(false);
    return state === grpc.connectivityState.TRANSIENT_FAILURE || state === grpc.connectivityState.SHUTDOWN;
  }

  /** Sends one request; rejects on a transport error or when no reply arrives within `waitMs`. */
  send(nodeKey: string, request: OutboundRequest, waitMs: number): Promise<WireResult> {
    const client = this.clients.get(nodeKey);
    if (!client) return Promise.reject(new Error(`No channel to node ${nodeKey}`));
    return new Promise<WireResult>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new Error(`No reply within ${waitMs} ms`));
      }, waitMs);
      const call = client.unaryRequest(request, (error, result) => {
        this.inflight.delete(call);
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error || !result) reject(error ?? new Error('Empty reply'));
        else resolve(result);
      });
      this.inflight.add(call);
    });
  }

  onModuleDestroy(): void {
    for (const call of this.inflight) call.cancel();
    this.inflight.clear();
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
