import { Inject, Injectable } from '@nestjs/common';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';

/** Who this server is on server → client calls (`host-id`, `host-ip`, `host-port`). */
@Injectable()
export class ServerIdentity {
  /** The bound gRPC port, set once the gRPC server listens. */
  port = 0;

  constructor(@Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions) {}

  get hostId(): string {
    return this.options.serverHostId;
  }

  get hostIp(): string {
    return this.options.advertisedHost;
  }
}
