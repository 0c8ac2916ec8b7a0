import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExecuteResult, JobArgs, MapArgs, MapTask, SnailJob, SnailJobLog } from '../index.js';
import { SnailJobTester } from '../testing/index.js';

@Injectable()
class TracedJobs {
  @SnailJob('traced')
  async traced(args: JobArgs) {
    SnailJobLog.REMOTE.info('before');
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A span the handler starts is a child of the task's span: the handler runs inside it.
    await trace.getTracer('app').startActiveSpan('db.query', async (span) => {
      SnailJobLog.REMOTE.info('inside child');
      span.end();
    });
    return { params: args.jobParams };
  }

  @SnailJob('reportsFailure')
  failure() {
    return ExecuteResult.failure(undefined, 'no rows');
  }

  @SnailJob('throws')
  throws(): never {
    throw new Error('exploded');
  }
}

@SnailJob('tracedMap')
@Injectable()
class TracedMap {
  @MapTask()
  root(args: MapArgs) {
    return args.doMap([1], 'ONE');
  }

  @MapTask('ONE')
  one() {
    return 'ok';
  }
}

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();
  let tester: SnailJobTester;

  beforeAll(async () => {
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
    tester = await SnailJobTester.create({ providers: [TracedJobs, TracedMap], options: { tracing: true } });
  });

  afterAll(async () => {
    await tester.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  beforeEach(() => exporter.reset());

  it('runs the handler inside a span named by the executor, with the task ids as attributes', async () => {
    const run = await tester.execute('traced', { params: 'p', wfContext: {} });
    expect(run.status).toBe('success');
    const spans = exporter.getFinishedSpans();
    const task = spans.find((s) => s.name === 'snail-job traced')!;
    const child = spans.find((s) => s.name === 'db.query')!;
    expect(task.kind).toBe(SpanKind.CONSUMER);
    expect(task.status.code).toBe(SpanStatusCode.OK);
    expect(task.attributes).toMatchObject({
      'snailjob.executor': 'traced',
      'snailjob.job.id': '1',
      'snailjob.task_batch.id': String(run.taskBatchId),
      'snailjob.task.id': String(run.tasks[0]!.taskId),
      'snailjob.task.type': 'CLUSTER',
      'snailjob.workflow.node.id': '1',
    });
    expect(child.parentSpanContext?.spanId).toBe(task.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(task.spanContext().traceId);
  });

  it('appends the trace id to the remote log lines of the task', async () => {
    const run = await tester.execute('traced');
    const traceId = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'snail-job traced')!
      .spanContext().traceId;
    expect(run.logs.map((l) => l.message)).toEqual([
      `before [trace_id=${traceId}]`,
      `inside child [trace_id=${traceId}]`,
    ]);
  });

  it('sets ERROR from a failure result and from a throw (with the exception recorded)', async () => {
    await tester.execute('reportsFailure');
    await tester.execute('throws');
    const [failure, thrown] = exporter.getFinishedSpans();
    expect(failure!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no rows' });
    expect(thrown!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'exploded' });
    expect(thrown!.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('gives each map task its own span, with its task name', async () => {
    await tester.execute('tracedMap');
    const names = exporter
      .getFinishedSpans()
      .map((s) => [s.name, s.attributes['snailjob.task.name'], s.attributes['snailjob.task.type']]);
    expect(names).toEqual([
      ['snail-job tracedMap', 'ROOT_MAP', 'MAP'],
      ['snail-job tracedMap', 'ONE', 'MAP'],
    ]);
  });
});

describe('tracing off', () => {
  it('creates no span and leaves log lines alone', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    const tester = await SnailJobTester.create({ providers: [TracedJobs] });
    try {
      const run = await tester.execute('traced');
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['db.query']);
      expect(run.logs[0]!.message).toBe('before');
    } finally {
      await tester.close();
      await provider.shutdown();
      trace.disable();
    }
  });
});
