import { Inject, Injectable, Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import * as grpc from '@grpc/grpc-js';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { decodeBody, encodeData } from '../protocol/envelope.js';
import { Header } from '../protocol/headers.js';
import { unaryRequestService, type WireRequest, type WireResult } from '../protocol/proto-descriptor.js';
import { RETRY_MODULE_URIS, uriPath } from '../protocol/uris.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import {
  AUTH_FAILED,
  GRPC_BIND_FAILED,
  GRPC_LISTENING,
  RETRY_MODULE_UNSUPPORTED,
  UNKNOWN_URI,
} from '../snail-job.messages.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { tokenCheck } from '../security/token-check.js';
import { ClientIdentity } from './client-identity.js';
import { grpcAddress } from './grpc-address.js';

/** What an inbound handler answers; becomes a `GrpcResult`. */
export interface InboundReply {
  status: 0 | 1;
  data?: unknown;
  message?: string;
}

/** An inbound handler: receives the decoded argument list and the logical headers. */
export type InboundHandler = (
  args: unknown[],
  headers: Record<string, string>,
) => InboundReply | Promise<InboundReply>;

/**
 * Nest microservice transport strategy serving SnailJob's `UnaryRequest/unaryRequest` over grpc-js and routing
 * on `metadata.uri`. Every call is answered with a well-formed `GrpcResult` (never a gRPC error): the SnailJob
 * server marks a node dead on any transport-level error.
 */
@Injectable()
export class SnailJobTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('SnailJob');
  private server: grpc.Server | undefined;
  private serving = false;
  private readonly tokenMatches: (presented: unknown) => boolean;

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly identity: ClientIdentity,
    private readonly instrumentation: SnailJobInstrumentation,
  ) {
    super();
    this.tokenMatches = tokenCheck(options.token);
  }

  /** Registers the handler of one URI. */
  route(uri: string, handler: InboundHandler): void {
    const h = ((payload: { args: unknown[]; headers: Record<string, string> }) =>
      handler(payload.args, payload.headers)) as unknown as MessageHandler;
    this.addHandler(uri, h);
  }

  /** True while the gRPC server is bound and serving. */
  isServing(): boolean {
    return this.serving;
  }

  /** The bound port (valid after {@link listen}). */
  get port(): number {
    return this.identity.port;
  }

  listen(callback: (error?: unknown) => void): void {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': this.options.maxMessageBytes,
      'grpc.max_send_message_length': this.options.maxMessageBytes,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.http2.min_ping_interval_without_data_ms': 300_000,
    });
    server.addService(unaryRequestService().service, {
      unaryRequest: (
        call: grpc.ServerUnaryCall<WireRequest, WireResult>,
        callback: grpc.sendUnaryData<WireResult>,
      ) => {
        this.handle(call.request).then(
          (result) => callback(null, result),
          (error: unknown) => callback(null, failure(call.request, errorMessage(error))),
        );
      },
    });
    const address = grpcAddress(this.options.client.bindHost, this.options.client.port);
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (error) {
        callback(new Error(GRPC_BIND_FAILED(address, error.message)));
        return;
      }
      this.server = server;
      this.identity.port = port;
      this.serving = true;
      this.log.log(GRPC_LISTENING(this.options.client.bindHost, port));
      callback();
    });
  }

  /** Binds the gRPC server; resolves once it serves. */
  start(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.listen((error) => (error ? reject(error as Error) : resolve())),
    );
  }

  /** Stops serving: waits up to `graceMs` for calls in flight, then forces. */
  async close(graceMs = 2_000): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.serving = false;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      force.unref();
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  on(): void {
    throw new Error('SnailJobTransport does not emit events.');
  }

  unwrap<T>(): T {
    return this.server as T;
  }

  /** Handles one envelope: auth, routing, decoding, and a `GrpcResult` for every outcome. */
  async handle(request: WireRequest): Promise<WireResult> {
    const uri = request.metadata?.uri ?? '';
    const headers = request.metadata?.headers ?? {};
    const path = uriPath(uri);
    let result: WireResult;
    if (!this.tokenMatches(headers[Header.SJ_TOKEN])) {
      result = failure(request, AUTH_FAILED);
    } else {
      const handler = this.messageHandlers.get(path);
      if (!handler) {
        const message = (RETRY_MODULE_URIS as readonly string[]).includes(path)
          ? RETRY_MODULE_UNSUPPORTED(path)
          : UNKNOWN_URI(path);
        result = failure(request, message);
      } else {
        try {
          const args = decodeBody(request.body);
          const reply = (await handler({ args, headers })) as InboundReply;
          result = {
            reqId: request.reqId ?? '0',
            status: reply.status,
            message: reply.message ?? '',
            data: encodeData(reply.data),
          };
        } catch (error) {
          result = failure(request, errorMessage(error));
        }
      }
    }
    this.instrumentation.inboundCall(path, result.status);
    return result;
  }
}

function failure(request: WireRequest | undefined, message: string): WireResult {
  return { reqId: request?.reqId ?? '0', status: 0, message, data: 'null' };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
