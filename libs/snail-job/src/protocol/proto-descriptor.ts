import * as grpc from '@grpc/grpc-js';
import { decodeRequest, decodeResult, encodeRequest, encodeResult } from './wire-codec.js';

/**
 * The SnailJob wire proto (`proto/snail_job.proto`) as a protobuf.js JSON descriptor. It is embedded so
 * that compiled code never has to find a `.proto` file on disk; `proto-descriptor.spec.ts` re-parses
 * the reference file and fails if the two drift apart.
 */
export const SNAIL_JOB_PROTO_DESCRIPTOR = {
  nested: {
    Metadata: {
      fields: {
        uri: { type: 'string', id: 3 },
        headers: { keyType: 'string', type: 'string', id: 7 },
      },
    },
    GrpcSnailJobRequest: {
      fields: {
        reqId: { type: 'int64', id: 1 },
        metadata: { type: 'Metadata', id: 2 },
        body: { type: 'string', id: 3 },
      },
    },
    GrpcResult: {
      fields: {
        reqId: { type: 'int64', id: 1 },
        status: { type: 'int32', id: 2 },
        message: { type: 'string', id: 3 },
        data: { type: 'string', id: 4 },
      },
    },
    UnaryRequest: {
      methods: {
        unaryRequest: { requestType: 'GrpcSnailJobRequest', responseType: 'GrpcResult' },
      },
    },
  },
} as const;

/** Full gRPC method path; SnailJob's proto has no package, so there is no prefix. */
export const UNARY_METHOD_PATH = '/UnaryRequest/unaryRequest';

/** A decoded `GrpcSnailJobRequest`. */
export interface WireRequest {
  reqId: string;
  metadata: { uri: string; headers: Record<string, string> } | null;
  body: string;
}

/** A decoded or to-be-encoded `GrpcResult`. */
export interface WireResult {
  reqId: string | number;
  status: number;
  message: string;
  data: string;
}

let cached: grpc.ServiceClientConstructor | undefined;

/**
 * The `UnaryRequest` service constructor (memoised): the service definition for a grpc-js server and a client
 * class for a grpc-js channel. Messages are encoded by the hand-written codec of `wire-codec.ts`, which decodes
 * like proto-loader with {@link PROTO_LOADER_OPTIONS} and writes what protobuf.js writes.
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
