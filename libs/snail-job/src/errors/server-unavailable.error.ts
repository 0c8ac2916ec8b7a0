import type { status } from '@grpc/grpc-js';
import { SERVER_CALL_FAILED } from '../snail-job.messages.js';

/** Error of an outbound call that got no well-formed reply (transport failure, timeout). */
export class ServerUnavailableError extends Error {
  constructor(
    readonly uri: string,
    readonly code: status | undefined,
    detail: string,
  ) {
    super(SERVER_CALL_FAILED(uri, tidyGrpcDetail(detail)));
    this.name = 'ServerUnavailableError';
  }
}

/**
 * grpc-js details end in `Resolution note: <note>` even when the note is empty, and often in a full stop;
 * messages built on them add their own punctuation.
 */
export function tidyGrpcDetail(detail: string): string {
  return detail
    .replace(/\s*Resolution note:\s*$/, '')
    .replace(/[\s.]+$/, '')
    .trim();
}
