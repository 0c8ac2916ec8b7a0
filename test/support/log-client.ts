import type { INestApplication } from '@nestjs/common';
import { SnailJobTransport, type SnailJobModuleOptions } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './client-app.js';
import { LogJobs, release } from './log-jobs.js';
import { RawCaller, RawServer } from './raw-peer.js';
import { RecordingLogger } from './recording-logger.js';

/**
 * A bare server peer plus a client app running {@link LogJobs}, for the remote-log suites: `setUp()` in
 * beforeEach, `start(options)` in the test, `tearDown()` in afterEach.
 */
export class LogClientHarness {
  server!: RawServer;
  app: INestApplication | undefined;
  caller: RawCaller | undefined;
  /** What the app logged locally. */
  local!: RecordingLogger;

  async setUp(): Promise<void> {
    this.server = await new RawServer().start();
  }

  /** Boots the client app against {@link server} with extra module options. */
  async start(extra: SnailJobModuleOptions = {}): Promise<void> {
    this.local = new RecordingLogger();
    this.app = await startClientApp(clientOptions(this.server.port, extra), [LogJobs], this.local);
    this.caller = new RawCaller(this.app.get(SnailJobTransport).port);
  }

  async tearDown(): Promise<void> {
    release();
    this.caller?.close();
    await this.app?.close();
    await this.server.close();
    this.app = this.caller = undefined;
  }
}
