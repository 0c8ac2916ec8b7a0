import {
  Injectable,
  Module,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { SnailJob, SnailJobModule, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { clientOptions } from './support/client-app.js';
import { dispatchBody } from './support/dispatch.js';
import { RawCaller, RawServer } from './support/raw-peer.js';
import { waitUntil } from './support/wait.js';

@Injectable()
class EchoJobs {
  @SnailJob('echo')
  echo(args: JobArgs) {
    return `echo ${String(args.taskId)}`;
  }
}

/** Records the RPC calls it sees: proof that Nest, not the module, bound the message patterns. */
class RecordingInterceptor implements NestInterceptor {
  readonly seen: string[] = [];
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.seen.push(`${context.getType()} ${context.getClass().name}`);
    return next.handle();
  }
}

describe('SnailJobTransport as a Nest microservice strategy', () => {
  let server: RawServer | undefined;
  let app: INestApplication | undefined;
  let caller: RawCaller | undefined;

  afterEach(async () => {
    caller?.close();
    await app?.close();
    await server?.close();
    caller = app = server = undefined;
  });

  async function boot(connect: boolean, interceptor?: RecordingInterceptor): Promise<INestApplication> {
    server = await new RawServer().start();
    @Module({ imports: [SnailJobModule.forRoot(clientOptions(server.port))], providers: [EchoJobs] })
    class AppModule {}
    const created = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
    if (interceptor) created.useGlobalInterceptors(interceptor);
    if (connect) {
      created.connectMicroservice({ strategy: created.get(SnailJobTransport) }, { inheritAppConfig: true });
      await created.startAllMicroservices();
    }
    await created.init();
    app = created;
    caller = new RawCaller(created.get(SnailJobTransport).port);
    return created;
  }

  it('serves dispatches through Nest-bound @MessagePattern handlers under app.connectMicroservice({ strategy })', async () => {
    const interceptor = new RecordingInterceptor();
    await boot(true, interceptor);
    const reply = await caller!.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'echo', taskId: 7, taskBatchId: 7 }),
    );
    expect(reply).toMatchObject({ status: 1, data: 'true' });
    await waitUntil(() => server!.reports().length === 1, 5_000, 'the result report');
    expect(server!.reports()[0]).toMatchObject({
      taskId: 7,
      taskStatus: 3,
      executeResult: expect.anything(),
    });
    const stop = await caller!.call('/job/stop/v1', JSON.stringify([{ taskBatchId: 7 }]));
    expect(stop).toMatchObject({ status: 1, data: 'true' });
    // The app's global interceptor ran for each call: Nest bound the patterns with its enhancers.
    expect(interceptor.seen).toEqual(['rpc DispatchHandler', 'rpc StopHandler']);
  });

  it('binds the same handlers itself when the app does not connect it (no enhancers)', async () => {
    const interceptor = new RecordingInterceptor();
    await boot(false, interceptor);
    const reply = await caller!.call(
      '/job/dispatch/v1',
      dispatchBody({ executorInfo: 'echo', taskId: 8, taskBatchId: 8 }),
    );
    expect(reply).toMatchObject({ status: 1, data: 'true' });
    await waitUntil(() => server!.reports().length === 1, 5_000, 'the result report');
    expect(interceptor.seen).toEqual([]);
  });

  it('answers a handler that throws with status 0 and reports it to on("error") listeners', async () => {
    const created = await boot(false);
    const errors: unknown[] = [];
    created.get(SnailJobTransport).on('error', (error) => errors.push(error));
    // A sync-version body that is not JSON makes the decoding throw inside the handler call.
    const reply = await caller!.call('/sync/version', '[{"version":');
    expect(reply.status).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
