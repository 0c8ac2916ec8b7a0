import { Injectable } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { SnailJob, SnailJobTransport, type JobArgs } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { dispatchBody } from './support/dispatch.js';
import { RawCaller, RawServer } from './support/raw-peer.js';

@Injectable()
class BadJobs {
  @SnailJob('circularContext')
  circular(args: JobArgs) {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    args.appendContext('loop', loop);
    return 'ok';
  }

  @SnailJob('echoParams')
  echo(args: JobArgs) {
    return args.jobParams?.length;
  }

  @SnailJob('throwsString')
  throwsString(): never {
    throw 'plain string';
  }
}

describe('handlers and inputs that cannot be reported as such', () => {
  it('turns an unserialisable context, unusable params and odd throws into FAIL reports, never a crash', async () => {
    const server = await new RawServer().start();
    const app = await startClientApp(clientOptions(server.port), [BadJobs]);
    const caller = new RawCaller(app.get(SnailJobTransport).port);
    const deepParams = `{"jobParams":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const cases: [number, Record<string, unknown>][] = [
      [1, { executorInfo: 'circularContext', workflowTaskBatchId: 9, workflowNodeId: 3 }],
      [3, { executorInfo: 'throwsString' }],
    ];
    for (const [taskId, extra] of cases) {
      expect(
        await caller.call('/job/dispatch/v1', dispatchBody({ taskId, taskBatchId: taskId, ...extra })),
      ).toMatchObject({ status: 1, data: 'true' });
    }
    // A document nested deeper than the JSON limit is refused at dispatch, naming what was too deep (issue 9,
    // item 4; docs/executors.md), and nothing runs: it is not handed to the handler as changed data.
    const deep = await caller.call(
      '/job/dispatch/v1',
      dispatchBody({ taskId: 2, taskBatchId: 2, executorInfo: 'echoParams', argsStr: deepParams }),
    );
    expect(deep).toMatchObject({ status: 0 });
    expect(deep.message).toMatch(/argsStr: nesting too deep/);
    await server.waitFor('/report/dispatch/result', 2);
    const byTask = new Map(server.reports().map((r) => [r.taskId, r]));
    expect(byTask.get(1)).toMatchObject({
      taskStatus: 4,
      executeResult: {
        status: 0,
        message: expect.stringContaining('workflow context is not JSON-serialisable') as string,
      },
    });
    expect(byTask.get(1)).not.toHaveProperty('wfContext');
    expect(byTask.has(2)).toBe(false);
    expect(byTask.get(3)).toMatchObject({ taskStatus: 4, executeResult: { message: 'plain string' } });
    caller.close();
    await app.close();
    await server.close();
  });
});
