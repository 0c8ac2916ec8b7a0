import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SnailJobTransport } from 'nestjs-snail-job';
import { AppModule } from '../src/app.module';
import { runJob, waitForExecutor } from './dev-server-api';

// The @nestjs/cli template's e2e test, pointed at the dev server: ts-jest compiles this app to CommonJS and
// Jest's own module loader requires the library's CommonJS build.
describe('AppModule with nestjs-snail-job under Jest', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves gRPC and runs a cluster job the dev server dispatches', async () => {
    expect(app.get(SnailJobTransport).isServing()).toBe(true);
    await waitForExecutor('consumerCluster');
    const batch = await runJob({
      executorInfo: 'consumerCluster',
      taskType: 'CLUSTER',
      argsStr: 'from jest',
    });
    expect(batch.statusName).toBe('SUCCESS');
    expect(JSON.parse(batch.tasks[0].result)).toEqual({ echo: 'from jest' });
  });
});
