import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SnailJobTransport } from 'nestjs-snail-job';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { runJob, waitForExecutor } from './dev-server-api.js';

// Vitest transforms the app's own files and loads nestjs-snail-job from node_modules with Node's import.
describe('AppModule with nestjs-snail-job under Vitest', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('runs a cluster job, and the executor of the CommonJS library beside it', async () => {
    expect(app.get(SnailJobTransport).isServing()).toBe(true);
    await waitForExecutor('consumerLibraryJob');
    const batch = await runJob({
      executorInfo: 'consumerCluster',
      taskType: 'CLUSTER',
      argsStr: 'from vitest',
    });
    expect(batch.statusName).toBe('SUCCESS');
    expect(JSON.parse(batch.tasks[0].result)).toEqual({ echo: 'from vitest' });
    const fromLibrary = await runJob({
      executorInfo: 'consumerLibraryJob',
      taskType: 'CLUSTER',
      argsStr: 'x',
    });
    expect(fromLibrary.tasks[0].result).toBe('library saw x');
  });
});
