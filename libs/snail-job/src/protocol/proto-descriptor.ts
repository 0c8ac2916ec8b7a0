import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

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

/** Loader options: int64 as decimal strings (no precision loss), proto3 defaults filled in. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

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

/** The `UnaryRequest` service constructor built from the embedded descriptor (memoised). */
export function unaryRequestService(): grpc.ServiceClientConstructor {
  if (!cached) {
    const definition = protoLoader.fromJSON(
      SNAIL_JOB_PROTO_DESCRIPTOR as unknown as Parameters<typeof protoLoader.fromJSON>[0],
      PROTO_LOADER_OPTIONS,
    );
    const loaded = grpc.loadPackageDefinition(definition);
    cached = loaded.UnaryRequest as grpc.ServiceClientConstructor;
  }
  return cached;
}
