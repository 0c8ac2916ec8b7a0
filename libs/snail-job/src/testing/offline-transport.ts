import { Injectable } from '@nestjs/common';
import { SnailJobTransport } from '../transport/snail-job.transport.js';

/**
 * The client's inbound transport without a socket: routes and the envelope handling (token check, decoding,
 * replies) are the real ones; the in-memory server calls {@link SnailJobTransport.handle} directly.
 */
@Injectable()
export class OfflineTransport extends SnailJobTransport {
  private online = false;

  override start(): Promise<void> {
    this.online = true;
    return Promise.resolve();
  }

  override close(): Promise<void> {
    this.online = false;
    return Promise.resolve();
  }

  override isServing(): boolean {
    return this.online;
  }
}
