import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** This client instance's identity towards the server: host-id and the advertised gRPC port. */
@Injectable()
export class ClientIdentity {
  /** `node-<pid>-<random>`: unique per process and module instance, ≤ 64 chars, never contains `@`. */
  readonly hostId = `node-${process.pid}-${randomBytes(6).toString('hex')}`;
  /** The port actually bound (known once the gRPC server listens). */
  port = 0;
}
