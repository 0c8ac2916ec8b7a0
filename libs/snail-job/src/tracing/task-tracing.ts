import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type * as OtelApi from '@opentelemetry/api';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { ExecuteResult } from '../job/execute-result.js';
import type { JobArgs } from '../job/job-args.js';
import { currentTask } from '../logging/task-context.js';
import { LIBRARY_VERSION, SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import { taskAttributes } from './task-span.js';

type Invoke = (args: unknown) => unknown;

/**
 * Opt-in OpenTelemetry (`tracing: true`): runs each handler inside a span `snail-job <executor>` (kind
 * CONSUMER) whose attributes name the task, whose status follows the result (an `ExecuteResult.failure`, a
 * throw or an abort is ERROR), and whose trace id is appended to the task's remote log lines. Uses the global
 * tracer provider the app's OpenTelemetry SDK registers; `@opentelemetry/api` is loaded only when tracing is on.
 */
@Injectable()
export class TaskTracing implements OnModuleInit {
  private api: typeof OtelApi | undefined;
  private tracer: OtelApi.Tracer | undefined;

  constructor(@Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions) {}

  async onModuleInit(): Promise<void> {
    if (!this.options.tracing) return;
    try {
      this.api = await import('@opentelemetry/api');
    } catch (error) {
      throw new Error(
        `SnailJob tracing (option tracing / SNAIL_TRACING) needs the package @opentelemetry/api: npm install @opentelemetry/api (${(error as Error).message})`,
        { cause: error },
      );
    }
    this.tracer = this.api.trace.getTracer('nestjs-snail-job', LIBRARY_VERSION);
  }

  /** Wraps a handler so that each call runs in its task's span (a no-op while tracing is off). */
  wrap(executorName: string, invoke: Invoke): Invoke {
    return (args) => (this.tracer ? this.traced(executorName, args as JobArgs, invoke) : invoke(args));
  }

  private traced(executorName: string, args: JobArgs, invoke: Invoke): Promise<unknown> {
    const api = this.api!;
    return this.tracer!.startActiveSpan(
      `snail-job ${executorName}`,
      { kind: api.SpanKind.CONSUMER, attributes: taskAttributes(executorName, args) },
      async (span) => {
        const log = currentTask()?.log;
        if (log) log.traceId = span.spanContext().traceId;
        try {
          const value = await invoke(args);
          if (args.signal.aborted) {
            span.setAttribute('snailjob.abort.reason', String(args.signal.reason));
            span.setStatus({
              code: api.SpanStatusCode.ERROR,
              message: `aborted: ${String(args.signal.reason)}`,
            });
          } else if (ExecuteResult.isExecuteResult(value) && value.status === 0) {
            span.setStatus({ code: api.SpanStatusCode.ERROR, message: value.message });
          } else {
            span.setStatus({ code: api.SpanStatusCode.OK });
          }
          return value;
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({
            code: api.SpanStatusCode.ERROR,
            message: error instanceof Error ? error.message : String(error),
          });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}
