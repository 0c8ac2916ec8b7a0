import * as grpc from '@grpc/grpc-js';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  unaryRequestService,
  wireResult,
  type WireRequest,
  type WireResult,
} from 'nestjs-snail-job/protocol';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { ServerIdentity } from '../common/server-identity.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { MAX_MESSAGE_BYTES } from './client-channels.service.js';
import { RequestRouter } from './request-router.service.js';

/**
 * The server's gRPC endpoint (`/UnaryRequest/unaryRequest`, docs/protocol.md §1.2), built on grpc-js directly so the
 * bound port is known and the server can be paused and resumed on the same port.
 */
@Injectable()
export class GrpcServerService implements OnApplicationBootstrap, OnModuleDestroy {
  private server: grpc.Server | undefined;

  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly router: RequestRouter,
    private readonly identity: ServerIdentity,
    private readonly logger: DevServerLogger,
  ) {}

  /** The bound port (the real one when 0 was requested). */
  get port(): number {
    return this.identity.port;
  }

  /** True while listening. */
  get listening(): boolean {
    return this.server !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen(this.options.grpcPort);
  }

  /** Stops listening (open calls are cut) but keeps every piece of state. */
  pause(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  /** Listens again on the same port. */
  async resume(): Promise<void> {
    if (!this.server) await this.listen(this.identity.port);
  }

  onModuleDestroy(): void {
    this.pause();
  }

  private listen(port: number): Promise<void> {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
    server.addService(unaryRequestService().service, {
      unaryRequest: (
        call: grpc.ServerUnaryCall<WireRequest, WireResult>,
        callback: grpc.sendUnaryData<WireResult>,
      ) => this.onCall(call.request, callback),
    });
    const host = this.options.grpcHost.includes(':') ? `[${this.options.grpcHost}]` : this.options.grpcHost;
    return new Promise((resolve, reject) => {
      server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
        if (error) {
          server.forceShutdown();
          reject(new Error(`gRPC server cannot listen on ${host}:${port}: ${error.message}`));
          return;
        }
        this.server = server;
        this.identity.port = boundPort;
        this.logger.log(`gRPC server listening on ${host}:${boundPort}`);
        resolve();
      });
    });
  }

  private onCall(request: WireRequest, callback: grpc.sendUnaryData<WireResult>): void {
    this.router.handle(request).then(
      (result) => {
        if (result) callback(null, result);
      },
      (e: unknown) =>
        callback(null, wireResult(0, null, e instanceof Error ? e.message : String(e), request.reqId)),
    );
  }
}
