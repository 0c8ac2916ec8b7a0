import type { status } from '@grpc/grpc-js';
import { SERVER_CALL_FAILED } from '../snail-job.messages.js';

/** Error of an outbound call that got no well-formed reply (transport failure, timeout). */
export class ServerUnavailableError extends Error {
  constructor(
    readonly uri: string,
    readonly code: status | undefined,
    detail: string,
  ) {
    super(SERVER_CALL_FAILED(uri, detail));
    this.name = 'ServerUnavailableError';
  }
}
