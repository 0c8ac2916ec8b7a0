import { Injectable, type INestApplication } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MapTask, SnailJob, type JobArgs, type MapArgs } from 'nestjs-snail-job';
import { clientOptions, startClientApp } from './support/client-app.js';
import { receivedBodies, startTestDevServer, type DevServer } from './support/dev-server.js';

const readBy: Record<string, Record<string, unknown>> = {};

@Injectable()
class Steps {
  @SnailJob('extract')
  extract(args: JobArgs) {
    readBy.extract = { run: args.getWfContext('run') };
    args.appendContext('rows', 42);
    args.appendContext('ignored', null);
    return 'extracted';
  }

  @SnailJob('load')
  load(args: JobArgs) {
    readBy.load = {
      run: args.getWfContext('run'),
      rows: args.getWfContext('rows'),
      mapped: args.getWfContext('mapped'),
      cities: args.getWfContext('cities'),
    };
    args.appendContext('run', 'loaded');
    return readBy.load;
  }
}

@SnailJob('wfMap')
@Injectable()
class WorkflowMap {
  @MapTask()
  root(args: MapArgs) {
    readBy.mapRoot = { rows: args.getWfContext('rows') };
    args.appendContext('mapped', true);
    return args.doMap(['a', 'b'], 'CITY');
  }

  @MapTask('CITY')
  city(args: MapArgs) {
    args.appendContext('cities', 2);
    return args.mapResult;
  }
}

describe('workflow context through the dev server', () => {
  let server: DevServer;
  let app: INestApplication;

  beforeEach(async () => {
    for (const k of Object.keys(readBy)) delete readBy[k];
    server = await startTestDevServer();
    app = await startClientApp(clientOptions(server.grpcPort), [Steps, WorkflowMap]);
    await server.waitForNodes(1, 5_000);
  });

  afterEach(async () => {
    await app.close();
    await server.close();
  });

  it('reads the context, reports only changed keys, and passes changes to successor nodes', async () => {
    const extract = await server.createJob({ executorInfo: 'extract', taskType: 1 });
    const map = await server.createJob({ executorInfo: 'wfMap', taskType: 4, parallelNum: 2 });
    const load = await server.createJob({ executorInfo: 'load', taskType: 1 });
    const wf = await server.createWorkflow({
      nodes: [
        { id: 'extract', jobId: extract.id },
        { id: 'map', jobId: map.id },
        { id: 'load', jobId: load.id },
      ],
      edges: [
        ['extract', 'map'],
        ['map', 'load'],
      ],
      wfContext: { run: 'demo-1' },
    });
    const { workflowTaskBatchId } = await server.triggerWorkflow(wf.id);
    const done = await server.waitForWorkflowBatch(workflowTaskBatchId, 10_000);
    expect(done.statusName).toBe('SUCCESS');

    expect(readBy.extract).toEqual({ run: 'demo-1' });
    expect(readBy.mapRoot).toEqual({ rows: 42 });
    expect(readBy.load).toEqual({ run: 'demo-1', rows: 42, mapped: true, cities: 2 });
    // the last node's own change (run: 'loaded') is not merged into the run: the real server merges a node's
    // changes only when it opens successors (WorkflowExecutorActor → mergeWorkflowContextAndRetry)
    expect(JSON.parse(done.wfContext)).toEqual({ run: 'demo-1', rows: 42, mapped: true, cities: 2 });

    const reports = await receivedBodies<Record<string, unknown>>(server, '/report/dispatch/result');
    const extractReport = reports.find((r) => r.jobId === Number(extract.id))!;
    expect(extractReport.wfContext).toBe('{"rows":42}');
    expect(extractReport.workflowTaskBatchId).toBe(Number(workflowTaskBatchId));
    expect(extractReport.workflowNodeId).toBeDefined();
    // a map stage's context change travels in its doMap request too, and in its own report
    const [mapRequest] = await receivedBodies<Record<string, unknown>>(
      server,
      '/batch/report/job/map/task/v1',
    );
    expect(mapRequest.wfContext).toBe('{"mapped":true}');
    expect(mapRequest.workflowTaskBatchId).toBe(Number(workflowTaskBatchId));
    const cityReports = reports.filter((r) => r.jobId === Number(map.id) && r.wfContext === '{"cities":2}');
    expect(cityReports).toHaveLength(2);
    // the root reports its own change once more with its result
    const rootReport = reports.find((r) => r.jobId === Number(map.id) && r.wfContext === '{"mapped":true}');
    expect(rootReport).toBeDefined();
  });
});
