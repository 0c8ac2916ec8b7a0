import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../config/resolve-options.js';
import type { SnailJobModuleOptions } from '../config/snail-job-options.interface.js';
import { RecentTasks } from '../diagnostics/recent-tasks.js';
import { ExecutorRegistry } from '../discovery/executor.registry.js';
import { SnailJobInstrumentation } from '../instrument/snail-job-instrumentation.js';
import type { DispatchJobRequest, DispatchJobResultRequest } from '../protocol/payloads.js';
import type { ResultReporter } from '../reporting/result-reporter.js';
import type { TaskExecution } from './task-execution.js';
import type { TaskInvoker } from './task-invoker.js';
import { TaskRunner } from './task-runner.js';

function request(overrides: Partial<DispatchJobRequest> = {}): DispatchJobRequest {
  return {
    namespaceId: 'ns',
    jobId: 7,
    taskBatchId: 100,
    taskId: 1,
    taskType: 1,
    groupName: 'g',
    parallelNum: 1,
    executorType: 1,
    executorInfo: 'work',
    executorTimeout: 60,
    retryStatus: false,
    retry: false,
    ...overrides,
  } as DispatchJobRequest;
}

/** Handlers the test ends one by one; records the signal each one got. */
class FakeInvoker {
  readonly recent = new RecentTasks();
  readonly running = new Map<string, { task: TaskExecution; end: () => void }>();
  invoke(task: TaskExecution): Promise<boolean> {
    return new Promise((resolve) => {
      this.running.set(String(task.request.taskId), {
        task,
        end: () => {
          this.running.delete(String(task.request.taskId));
          if (task.state === 'aborted') return resolve(false);
          task.state = 'done';
          resolve(true);
        },
      });
    });
  }
  end(taskId: number): void {
    this.running.get(String(taskId))!.end();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TaskRunner', () => {
  let invoker: FakeInvoker;
  let reports: DispatchJobResultRequest[];
  let runner: TaskRunner;

  function start(options: SnailJobModuleOptions = {}): void {
    const registry = new ExecutorRegistry();
    const handler = { where: 'Jobs#work', className: 'Jobs', methodName: 'work', invoke: () => 'ok' };
    registry.add({ kind: 'plain', name: 'work', handler });
    registry.add({ kind: 'plain', name: 'other', handler });
    invoker = new FakeInvoker();
    reports = [];
    const reporter = {
      enqueue: (r: DispatchJobResultRequest) => reports.push(r),
    } as unknown as ResultReporter;
    runner = new TaskRunner(
      resolveOptions(options, {}),
      registry,
      reporter,
      invoker as unknown as TaskInvoker,
      new SnailJobInstrumentation(),
    );
  }

  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('runs one task of a batch at a time with parallelNum 1, the next once the first returns', async () => {
    start();
    expect(runner.submit(request({ taskId: 1 }))).toEqual({ accepted: true });
    expect(runner.submit(request({ taskId: 2 }))).toEqual({ accepted: true });
    await tick();
    expect(runner.stats()).toMatchObject({ running: 1, queued: 1, batches: 1 });
    expect([...invoker.running.keys()]).toEqual(['1']);
    invoker.end(1);
    await tick();
    await tick();
    expect([...invoker.running.keys()]).toEqual(['2']);
    invoker.end(2);
    await tick();
    expect(runner.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('takes a duplicate delivery without running it twice', async () => {
    start();
    runner.submit(request());
    expect(runner.submit(request())).toEqual({ accepted: true });
    await tick();
    expect(runner.stats()).toMatchObject({ running: 1, queued: 0 });
  });

  it('refuses an unknown executor, naming the registered ones and the closest', () => {
    start();
    const admission = runner.submit(request({ executorInfo: 'wrok' }));
    expect(admission.accepted).toBe(false);
    expect(admission.accepted === false && admission.message).toContain('registered executors: other, work');
    expect(admission.accepted === false && admission.message).toContain('Did you mean "work"?');
  });

  it('refuses past maxQueuedTasks a task that cannot start at once', async () => {
    start({ maxConcurrentTasks: 1, maxQueuedTasks: 0 });
    expect(runner.submit(request({ taskId: 1, taskBatchId: 1 }))).toEqual({ accepted: true });
    await tick();
    const refused = runner.submit(request({ taskId: 2, taskBatchId: 2 }));
    expect(refused.accepted).toBe(false);
    expect(refused.accepted === false && refused.message).toContain('Client is at capacity');
  });

  it('stops a batch: aborts its running task with reason "stop", reports nothing, frees the slot on return', async () => {
    start({ maxConcurrentTasks: 1 });
    runner.submit(request({ taskId: 1, taskBatchId: 1 }));
    await tick();
    const { task } = invoker.running.get('1')!;
    runner.stopBatch('1');
    expect(task.controller.signal.reason).toBe('stop');
    expect(runner.stats()).toMatchObject({ running: 0, abandoned: 1 });
    runner.submit(request({ taskId: 2, taskBatchId: 2 }));
    await tick();
    expect(invoker.running.has('2')).toBe(false); // the aborted handler still holds the only slot
    invoker.end(1);
    await tick();
    await tick();
    expect(invoker.running.has('2')).toBe(true);
    expect(reports).toEqual([]);
  });

  it('on shutdown hands queued tasks back and aborts what outlives the grace, reporting both as failed', async () => {
    start();
    runner.submit(request({ taskId: 1 }));
    runner.submit(request({ taskId: 2 }));
    await tick();
    await runner.shutdown(20);
    expect(reports.map((r) => [r.taskId, r.taskStatus])).toEqual([
      [2, 4],
      [1, 4],
    ]);
    expect(invoker.running.get('1')!.task.controller.signal.reason).toBe('shutdown');
    expect(runner.submit(request({ taskId: 3 }))).toMatchObject({ accepted: false });
  });
});
