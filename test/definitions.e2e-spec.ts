import { Injectable } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  MapTask,
  ReduceTask,
  SnailJob,
  SnailJobConfigError,
  SnailJobDefinitionError,
} from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';

@Injectable()
class A {
  @SnailJob('same')
  run() {}
}

@Injectable()
class B {
  @SnailJob('same')
  go() {}
}

@Injectable()
class StrayStage {
  @MapTask('LEVEL')
  level() {}
}

@SnailJob('twoReduces')
@Injectable()
class TwoReduces {
  @MapTask()
  root() {}

  @ReduceTask()
  r1() {}

  @ReduceTask()
  r2() {}
}

async function bootError(providers: (new () => unknown)[], options = clientOptions(1)): Promise<Error> {
  try {
    const app = await startClientApp(options, providers);
    await app.close();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected start-up to fail');
}

describe('start-up errors', () => {
  it('names both class#method for duplicate executor names', async () => {
    const e = await bootError([A, B]);
    expect(e).toBeInstanceOf(SnailJobDefinitionError);
    expect(e.message).toBe(
      'Duplicate SnailJob executor "same": declared by A#run and by B#go. Executor names must be unique per app.',
    );
  });

  it('rejects a stage decorator outside a @SnailJob class', async () => {
    const e = await bootError([StrayStage]);
    expect(e.message).toContain(
      "@MapTask('LEVEL') on StrayStage#level needs its class to be decorated with @SnailJob",
    );
  });

  it('rejects two handlers for one stage', async () => {
    const e = await bootError([TwoReduces]);
    expect(e.message).toBe(
      'Map executor "twoReduces" has two handlers for @ReduceTask(): TwoReduces#r1 and TwoReduces#r2. Keep one.',
    );
  });

  it('rejects an empty executor name at decoration time', () => {
    expect(() => SnailJob('')).toThrow(/non-empty executor name/);
  });

  it('fails with the documented message for invalid configuration', async () => {
    const e = await bootError([A], { ...clientOptions(1), client: { port: 99999 } });
    expect(e).toBeInstanceOf(SnailJobConfigError);
    expect(e.message).toBe(
      'Invalid SnailJob configuration: options.client.port=99999 — expected an integer from 0 to 65535.',
    );
  });
});
