import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { encodeBody } from '../protocol/envelope.js';
import { Header } from '../protocol/headers.js';
import { unaryRequestService, type WireRequest, type WireResult } from '../protocol/proto-descriptor.js';
import { LIBRARY_VERSION, SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import { ServerUnavailableError } from '../errors/server-unavailable.error.js';
import { ClientIdentity } from './client-identity.js';
import { grpcAddress } from './grpc-address.js';

type UnaryClient = grpc.Client & {
  unaryRequest(
    request: WireRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: WireResult) => void,
  ): grpc.ClientUnaryCall;
};

/** The one long-lived channel from this client to the SnailJob server (C→S calls). */
@Injectable()
export class ServerChannel implements OnApplicationShutdown {
  private readonly logger = new Logger('SnailJob');
  private client: UnaryClient | undefined;
  private reqId = 0;
  /** False after a call got no reply, until one gets a reply again. */
  private reachable = true;
  private readonly reachableListeners: (() => void)[] = [];
  /** Config version from the last `/sync/version`; sent as the `version` header. */
  configVersion = 0;

  constructor(
    @Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions,
    private readonly identity: ClientIdentity,
    private readonly instrumentation: SnailJobInstrumentation,
  ) {}

  /** Headers of §2.1, built for every call. */
  headers(extra?: Record<string, string>): Record<string, string> {
    return {
      [Header.HOST_ID]: this.identity.hostId,
      [Header.HOST_IP]: this.options.client.host,
      [Header.HOST_PORT]: String(this.identity.port),
      [Header.GROUP_NAME]: this.options.group,
      [Header.NAMESPACE]: this.options.namespace,
      [Header.TOKEN]: this.options.token,
      [Header.VERSION]: String(this.configVersion),
      [Header.SYSTEM_VERSION]: LIBRARY_VERSION,
      [Header.EXECUTOR_TYPE]: String(this.options.executorType),
      [Header.HOST]: this.options.server.host,
      ...extra,
    };
  }

  /**
   * Sends one logical call. Resolves with the server's `GrpcResult` (status 0 included); rejects with
   * {@link ServerUnavailableError} when no well-formed reply arrives within `timeoutMs`.
   */
  call(
    uri: string,
    args: readonly unknown[] | null,
    opts: { timeoutMs?: number; headers?: Record<string, string> } = {},
  ): Promise<WireResult> {
    return this.callWithBody(uri, encodeBody(args), opts);
  }

  /** Like {@link call}, with the envelope `body` already encoded (JSON array text, e.g. a log batch). */
  callWithBody(
    uri: string,
    body: string,
    opts: { timeoutMs?: number; headers?: Record<string, string> } = {},
  ): Promise<WireResult> {
    const client = this.ensureClient();
    const request: WireRequest = {
      reqId: String(this.reqId++),
      metadata: { uri, headers: this.headers(opts.headers) },
      body,
    };
    const deadline = Date.now() + (opts.timeoutMs ?? this.options.requestTimeoutMs);
    return new Promise<WireResult>((resolve, reject) => {
      client.unaryRequest(request, new grpc.Metadata(), { deadline }, (error, response) => {
        if (error || !response) {
          this.reachable = false;
          this.instrumentation.outboundCall(uri, false);
          reject(
            new ServerUnavailableError(uri, error?.code, error?.details || error?.message || 'no response'),
          );
          return;
        }
        this.instrumentation.outboundCall(uri, response.status === 1);
        resolve(response);
        if (!this.reachable) {
          this.reachable = true;
          for (const listener of this.reachableListeners) listener();
        }
      });
    });
  }

  private ensureClient(): UnaryClient {
    if (!this.client) {
      const Service = unaryRequestService();
      const target = grpcAddress(this.options.server.host, this.options.server.port);
      this.client = new Service(target, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': this.options.maxMessageBytes,
        'grpc.max_send_message_length': this.options.maxMessageBytes,
        'grpc.initial_reconnect_backoff_ms': 500,
        'grpc.max_reconnect_backoff_ms': 5_000,
        'grpc.enable_retries': 1,
      }) as unknown as UnaryClient;
    }
    return this.client;
  }

  /** Calls `listener` whenever the server answers again after calls got no reply. */
  onReachable(listener: () => void): void {
    this.reachableListeners.push(listener);
  }

  /**
   * Replaces a channel stuck in TRANSIENT_FAILURE by a fresh one, so the next call connects at once instead of
   * waiting out grpc-js's reconnect backoff (the Java client does the same). Called by the heartbeat while the
   * server is away, so reconnection follows the heartbeat's own backoff, capped at the heartbeat period.
   */
  resetIfDisconnected(): void {
    const state = this.client?.getChannel().getConnectivityState(false);
    if (state === grpc.connectivityState.TRANSIENT_FAILURE) this.close();
  }

  /** Closes the channel; later calls open a new one. */
  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  onApplicationShutdown(): void {
    this.close();
  }
}
