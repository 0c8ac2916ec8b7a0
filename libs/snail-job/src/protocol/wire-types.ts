/** A decoded `GrpcSnailJobRequest` (`proto/snail_job.proto`); `reqId` is the int64 as a decimal string. */
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
