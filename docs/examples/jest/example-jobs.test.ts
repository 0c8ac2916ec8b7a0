// The Jest example of docs/testing.md: the example app's executors with nestjs-snail-job/testing. `npm run
// typecheck` checks it against Jest's types (docs/examples/jest/tsconfig.json); jest.config.mjs beside it is a
// configuration that runs it (ts-jest, ESM).
import 'reflect-metadata';
import { SnailJobTester } from 'nestjs-snail-job/testing';
import { AppModule } from '../../../apps/example/src/app.module.js';

describe('example app executors (Jest)', () => {
  let tester: SnailJobTester;

  beforeAll(async () => {
    tester = await SnailJobTester.create({ imports: [AppModule] });
  });

  afterAll(() => tester.close());

  it('helloJob greets the name in its params', async () => {
    const run = await tester.execute('helloJob', { params: 'Ada' });
    expect(run.status).toBe('success');
    expect(run.result).toBe('hello, Ada');
    expect(run.logs.map((line) => line.message)).toEqual([expect.stringMatching(/^greeting Ada/)]);
  });

  it('salesMapReduce merges three reduces', async () => {
    const run = await tester.execute('salesMapReduce', { reduceShards: 3 });
    expect(run.result).toBe(7800);
  });

  it('slowJob ends when stopped', async () => {
    const running = tester.start('slowJob', { params: '100' });
    await running.started();
    await expect(running.stop()).resolves.toMatchObject({ status: 'stopped' });
  });
});
