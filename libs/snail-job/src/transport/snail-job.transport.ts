import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BaseRpcContext,
  Server,
  type CustomTransportStrategy,
  type MessageHandler,
} from '@nestjs/microservices';
import { PATTERN_METADATA, TRANSPORT_METADATA } from '@nestjs/microservices/constants.js';
import * as grpc from '@grpc/grpc-js';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { decodeBody, encodeData } from '../protocol/envelope.js';
import { Header } from '../protocol/headers.js';
import { unaryRequestService, type WireRequest, type WireResult } from '../protocol/proto-descriptor.js';
import { RETRY_MODULE_URIS, uriPath } from '../protocol/uris.js';
import { SNAIL_JOB_OPTIONS, SNAIL_JOB_TRANSPORT } from '../snail-job.constants.js';
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

/** What a `@MessagePattern` handler of this transport receives: the decoded argument list and the headers. */
export interface InboundCall {
  args: unknown[];
  headers: Record<string, string>;
}

/** Events of {@link SnailJobTransport} (`on('error', …)`). */
export type SnailJobTransportEvents = {
  /** A handler threw; the call was answered with status 0 and the error's message. */
  error: (error: unknown) => void;
};

/** The RPC context of one inbound call (`@Ctx()`): its logical headers and URI path. */
export class SnailJobContext extends BaseRpcContext<[Record<string, string>, string]> {
  /** The call's logical headers (`sj-token`, `host-id`, …). */
  getHeaders(): Record<string, string> {
    return this.args[0];
  }

  /** The URI path the call was routed on, e.g. `/job/dispatch/v1`. */
  getUri(): string {
    return this.args[1];
  }
}

/**
 * Nest microservice transport strategy serving SnailJob's `UnaryRequest/unaryRequest` over grpc-js and routing
 * `metadata.uri` to `@MessagePattern(uri, SNAIL_JOB_TRANSPORT)` handlers. The module starts it on its own; an
 * app may also pass it to `app.connectMicroservice({ strategy })`, and then Nest binds the handlers with the
 * app's guards, interceptors and filters (docs/transport.md). Every call is answered with a well-formed
 * `GrpcResult` (never a gRPC error): the SnailJob server marks a node dead on any transport-level error.
 */
@Injectable()
export class SnailJobTransport extends Server<SnailJobTransportEvents> implements CustomTransportStrategy {
  override readonly transportId = SNAIL_JOB_TRANSPORT;
  private readonly log = new Logger('SnailJob');
  private server: grpc.Server | undefined;
  private binding: Promise<void> | undefined;
  private serving = false;
  private readonly tokenMatches: (presented: unknown) => boolean;
  private readonly errorListeners: ((error: unknown) => void)[] = [];

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly identity: ClientIdentity,
    private readonly instrumentation: SnailJobInstrumentation,
  ) {
    super();
    this.tokenMatches = tokenCheck(options.token);
  }

  /**
   * Serves the `@MessagePattern(uri, SNAIL_JOB_TRANSPORT)` methods of `instances`, for patterns no handler
   * serves yet (when the app connected this strategy as a microservice, Nest bound them first, with its
   * enhancers).
   */
  bindMessagePatterns(instances: readonly object[]): void {
    for (const instance of instances) {
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (name === 'constructor' || typeof method !== 'function') continue;
        const patterns = Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined;
        if (!patterns || Reflect.getMetadata(TRANSPORT_METADATA, method) !== SNAIL_JOB_TRANSPORT) continue;
        for (const pattern of patterns) {
          const key = this.normalizePattern(pattern as string);
          if (this.messageHandlers.has(key)) continue;
          const handler = ((data: InboundCall, context: SnailJobContext) =>
            (method as (d: InboundCall, c: SnailJobContext) => unknown).call(
              instance,
              data,
              context,
            )) as MessageHandler;
          this.addHandler(key, handler);
        }
      }
    }
  }

  /** True while the gRPC server is bound and serving. */
  isServing(): boolean {
    return this.serving;
  }

  /** The bound port (valid after {@link listen}). */
  get port(): number {
    return this.identity.port;
  }

  /** Binds the gRPC server (once: the module and `app.startAllMicroservices()` may both ask). */
  listen(callback: (error?: unknown) => void): void {
    this.binding ??= new Promise<void>((resolve, reject) =>
      this.bind((error) => (error ? reject(error as Error) : resolve())),
    );
    this.binding.then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  private bind(callback: (error?: unknown) => void): void {
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
    this.binding = undefined;
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

  /** Listens for `'error'`: a handler threw (the call was answered with status 0). */
  on<K extends keyof SnailJobTransportEvents, C extends SnailJobTransportEvents[K]>(
    event: K,
    callback: C,
  ): void {
    if (event === 'error') this.errorListeners.push(callback);
  }

  /** The grpc-js server (undefined before {@link listen}). */
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
          let reply = (await handler({ args, headers }, new SnailJobContext([headers, path]))) as unknown;
          if (isObservable(reply)) reply = await lastValueFrom(reply);
          const { status, message, data } = reply as InboundReply;
          result = {
            reqId: request.reqId ?? '0',
            status,
            message: message ?? '',
            data: encodeData(data),
          };
        } catch (error) {
          for (const listener of this.errorListeners) listener(error);
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
