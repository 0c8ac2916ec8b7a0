import { Injectable } from '@nestjs/common';
import { decodeBody } from '../protocol/envelope.js';
import type { WireResult } from '../protocol/proto-descriptor.js';
import { ServerChannel } from '../transport/server-channel.js';

/** Answers one client → server call: the URI and the decoded argument list. */
export type InMemoryCallHandler = (uri: string, args: unknown[]) => WireResult;

/**
 * The channel to the server, answered in process: every call is encoded exactly as for the wire (the real
 * `call` encodes, this `callWithBody` decodes) and handed to the in-memory server.
 */
@Injectable()
export class InMemoryChannel extends ServerChannel {
  private handler: InMemoryCallHandler = () => ({ reqId: '0', status: 1, message: '', data: 'null' });

  /** Connects the channel to the in-memory server. */
  connect(handler: InMemoryCallHandler): void {
    this.handler = handler;
  }

  override callWithBody(uri: string, body: string): Promise<WireResult> {
    try {
      return Promise.resolve(this.handler(uri, decodeBody(body)));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  override resetIfDisconnected(): void {}

  override close(): void {}
}
