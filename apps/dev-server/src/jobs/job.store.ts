import { Injectable } from '@nestjs/common';
import { TaskStatus } from 'nestjs-snail-job/protocol';
import type { Batch, Job, Task } from './job.model.js';

/** The in-memory "database": jobs, batches and tasks, queried the way the server needs them. */
@Injectable()
export class JobStore {
  private readonly jobs = new Map<bigint, Job>();
  private readonly batches = new Map<bigint, Batch>();
  private readonly tasks = new Map<bigint, Task>();
  private readonly tasksByBatch = new Map<bigint, Task[]>();

  addJob(job: Job): Job {
    this.jobs.set(job.id, job);
    return job;
  }

  job(id: bigint): Job | undefined {
    return this.jobs.get(id);
  }

  allJobs(): Job[] {
    return [...this.jobs.values()];
  }

  /** Deletes a job definition (its batches and tasks stay, as rows of a deleted job do). */
  deleteJob(id: bigint): boolean {
    return this.jobs.delete(id);
  }

  addBatch(batch: Batch): Batch {
    this.batches.set(batch.id, batch);
    this.tasksByBatch.set(batch.id, []);
    return batch;
  }

  batch(id: bigint): Batch | undefined {
    return this.batches.get(id);
  }

  /** Batches, oldest first, optionally of one job. */
  allBatches(jobId?: bigint): Batch[] {
    const all = [...this.batches.values()];
    return jobId === undefined ? all : all.filter((b) => b.jobId === jobId);
  }

  addTask(task: Task): Task {
    this.tasks.set(task.id, task);
    this.tasksByBatch.get(task.batchId)?.push(task);
    return task;
  }

  task(id: bigint): Task | undefined {
    return this.tasks.get(id);
  }

  /** Tasks of a batch in id (creation) order, without copying (do not modify). */
  tasksView(batchId: bigint): readonly Task[] {
    return this.tasksByBatch.get(batchId) ?? [];
  }

  /** Puts a task back to RUNNING (retry, recovery), keeping the completion check's scan hint valid. */
  markRunning(task: Task): void {
    task.status = TaskStatus.RUNNING;
    const batch = this.batches.get(task.batchId);
    if (batch) batch.runningScanFrom = 0;
  }

  /** Tasks of a batch in id (creation) order. */
  tasksOf(batchId: bigint): Task[] {
    return [...(this.tasksByBatch.get(batchId) ?? [])];
  }
}
