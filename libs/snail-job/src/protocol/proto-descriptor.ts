import * as grpc from '@grpc/grpc-js';
import { decodeRequest, decodeResult, encodeRequest, encodeResult } from './wire-codec.js';

export type { WireRequest, WireResult } from './wire-types.js';

/** Full gRPC method path; SnailJob's proto (`proto/snail_job.proto`) has no package, so there is no prefix. */
export const UNARY_METHOD_PATH = '/UnaryRequest/unaryRequest';

let cached: grpc.ServiceClientConstructor | undefined;

/**
 * The `UnaryRequest` service constructor (memoised): the service definition for a grpc-js server and a client
 * class for a grpc-js channel. Messages go through the codec generated from the proto (`wire-codec.ts`).
 */
export function unaryRequestService(): grpc.ServiceClientConstructor {
  if (!cached) {
    const definition: grpc.ServiceDefinition = {
      unaryRequest: {
        path: UNARY_METHOD_PATH,
        requestStream: false,
        responseStream: false,
        requestSerialize: encodeRequest,
        requestDeserialize: decodeRequest,
        responseSerialize: encodeResult,
        responseDeserialize: decodeResult,
        originalName: 'unaryRequest',
      },
    };
    cached = grpc.makeGenericClientConstructor(definition, 'UnaryRequest');
  }
  return cached;
}
