import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DevServerLogger } from '../common/dev-server.logger.js';
import { IdGenerator } from '../common/id.generator.js';
import { TimerService } from '../common/timer.service.js';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';
import { BatchTimeout } from '../jobs/batch-timeout.service.js';
import { JobEvents } from '../jobs/job-events.js';
import { type Batch, isBatchFinished, type Job, type Task } from '../jobs/job.model.js';
import { JobStore } from '../jobs/job.store.js';
import { type TaskLogRow, TaskLogStore } from '../logs/task-log.store.js';
import { type GroupConfig, GroupRegistry } from '../registry/group.registry.js';
import type { Workflow, WorkflowBatch } from '../workflows/workflow.model.js';
import { WorkflowRunner } from '../workflows/workflow-runner.service.js';
import { WorkflowStore } from '../workflows/workflow.store.js';
import { JournalFile, type JournalRecord } from './journal-file.js';

/** JSON with bigints (`{"$n":"…"}`) and Maps (`{"$m":[[k,v],…]}`). */
export function encodeValue(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'bigint') return { $n: v.toString() };
      if (v instanceof Map) return { $m: [...v.entries()] };
      return v;
    }),
  );
}

export function decodeValue<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === '$n' && typeof o.$n === 'string') return BigInt(o.$n);
      if (keys.length === 1 && keys[0] === '$m' && Array.isArray(o.$m))
        return new Map(o.$m as [unknown, unknown][]);
    }
    return v;
  }) as T;
}

/** Tables kept in the data directory. */
const T = {
  group: 'group',
  job: 'job',
  workflow: 'workflow',
  batch: 'batch',
  task: 'task',
  run: 'run',
  log: 'log',
};

/**
 * Keeps jobs, workflows, batches, tasks, workflow runs, logs and added groups in `dataDir` (when set) and loads
 * them at start. Changes are found by comparing each entity with what was last written, and appended to the
 * journal right after every HTTP request and every `persistIntervalMs`; when the journal has grown to several
 * times the live data it is compacted into a snapshot. Nodes, executors, the request journal and faults are not
 * kept: clients register again with their next beat.
 */
@Injectable()
export class PersistenceService implements OnModuleInit, OnModuleDestroy {
  private journal: JournalFile | undefined;
  private readonly written = new Map<string, string>();
  private logsWritten = 0;
  private pending: NodeJS.Immediate | undefined;

  constructor(
    @Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions,
    private readonly ids: IdGenerator,
    private readonly jobs: JobStore,
    private readonly workflows: WorkflowStore,
    private readonly logs: TaskLogStore,
    private readonly groups: GroupRegistry,
    private readonly timeouts: BatchTimeout,
    private readonly runner: WorkflowRunner,
    private readonly timers: TimerService,
    private readonly events: JobEvents,
    private readonly logger: DevServerLogger,
  ) {}

  get enabled(): boolean {
    return this.journal !== undefined;
  }

  onModuleInit(): void {
    if (this.options.dataDir === undefined) return;
    const { journal, loaded } = JournalFile.open(this.options.dataDir);
    this.journal = journal;
    const restored = this.restore(loaded.records);
    this.logger.log(
      `data dir ${this.options.dataDir}: ${restored} records loaded${loaded.dropped ? `, ${loaded.dropped} unreadable line(s) dropped` : ''}`,
    );
    this.timers.every(this.options.persistIntervalMs, () => this.flush());
    this.events.batchFinished.subscribe(() => this.poke());
    this.events.workflowFinished.subscribe(() => this.poke());
  }

  onModuleDestroy(): void {
    if (!this.journal) return;
    if (this.pending) clearImmediate(this.pending);
    this.flush();
    this.journal.close();
    this.journal = undefined;
  }

  /** Writes soon (after the current request has finished its work). */
  poke(): void {
    if (!this.journal || this.pending) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      this.flush();
    });
  }

  /** Appends every change since the last flush; returns how many records were written. */
  flush(): number {
    if (!this.journal) return 0;
    const records: JournalRecord[] = [];
    const seen = new Set<string>();
    const put = (t: string, k: string, entity: unknown) => {
      const id = `${t}:${k}`;
      seen.add(id);
      const v = encodeValue(entity);
      const text = JSON.stringify(v);
      if (this.written.get(id) === text) return;
      this.written.set(id, text);
      records.push({ t, k, v });
    };
    for (const g of this.groups.list()) put(T.group, `${g.namespaceId}/${g.groupName}`, g);
    for (const j of this.jobs.allJobs()) put(T.job, String(j.id), j);
    for (const w of this.workflows.allWorkflows()) put(T.workflow, String(w.id), w);
    for (const b of this.jobs.allBatches()) {
      put(T.batch, String(b.id), b);
      for (const task of this.jobs.tasksView(b.id)) put(T.task, String(task.id), task);
    }
    for (const r of this.workflows.allBatches()) put(T.run, String(r.id), r);
    for (const [id] of this.written) {
      if (!seen.has(id)) {
        this.written.delete(id);
        const [t, ...k] = id.split(':');
        records.push({ t, k: k.join(':'), d: 1 });
      }
    }
    const rows = this.logs.allRows();
    for (let i = this.logsWritten; i < rows.length; i++)
      records.push({ t: T.log, k: String(i), v: encodeValue(rows[i]) });
    this.logsWritten = rows.length;
    this.journal.append(records);
    const live = this.written.size + this.logsWritten;
    if (this.journal.appendedSinceCompaction > Math.max(10_000, 3 * live)) this.compact();
    return records.length;
  }

  /** Rewrites the data directory as a snapshot of the live data. */
  compact(): void {
    if (!this.journal) return;
    const live: JournalRecord[] = [];
    for (const [id, text] of this.written) {
      const [t, ...k] = id.split(':');
      live.push({ t, k: k.join(':'), v: JSON.parse(text) as unknown });
    }
    this.logs.allRows().forEach((row, i) => live.push({ t: T.log, k: String(i), v: encodeValue(row) }));
    this.journal.compact(live);
  }

  /** Replays records (later ones win) into the stores; returns how many were read. */
  private restore(records: JournalRecord[]): number {
    const state = new Map<string, JournalRecord>();
    const logs = new Map<number, TaskLogRow>();
    for (const r of records) {
      if (r.t === T.log) {
        if (r.v !== undefined) logs.set(Number(r.k), decodeValue<TaskLogRow>(r.v));
        continue;
      }
      if (r.d) state.delete(`${r.t}:${r.k}`);
      else state.set(`${r.t}:${r.k}`, r);
    }
    const of = <E>(t: string): E[] =>
      [...state.values()].filter((r) => r.t === t).map((r) => decodeValue<E>(r.v));
    const byId = <E extends { id: bigint }>(a: E, b: E) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    let maxId = 0n;
    const seenId = (id: bigint) => {
      if (id > maxId) maxId = id;
    };
    for (const g of of<GroupConfig>(T.group)) this.groups.restore(g);
    for (const j of of<Job>(T.job).sort(byId)) {
      this.jobs.addJob(j);
      seenId(j.id);
    }
    for (const w of of<Workflow>(T.workflow).sort(byId)) {
      this.workflows.addWorkflow(w);
      seenId(w.id);
      for (const n of w.nodes) seenId(n.id);
    }
    const batches = of<Batch>(T.batch).sort(byId);
    for (const b of batches) {
      this.jobs.addBatch(b);
      seenId(b.id);
    }
    for (const t of of<Task>(T.task).sort(byId)) {
      this.jobs.addTask(t);
      seenId(t.id);
    }
    const runs = of<WorkflowBatch>(T.run).sort(byId);
    for (const r of runs) {
      this.workflows.addBatch(r);
      seenId(r.id);
    }
    this.logs.restore([...logs.entries()].sort(([a], [b]) => a - b).map(([, row]) => row));
    this.ids.advancePast(maxId);
    // What was loaded is what is on disk.
    for (const [id, r] of state) this.written.set(id, JSON.stringify(r.v));
    this.logsWritten = logs.size;
    this.rearm(batches, runs);
    return records.length;
  }

  /** Unfinished batches and runs keep their deadlines across the restart. */
  private rearm(batches: Batch[], runs: WorkflowBatch[]): void {
    const now = Date.now();
    for (const b of batches) {
      if (isBatchFinished(b.status)) continue;
      const job = this.jobs.job(b.jobId);
      if (!job) continue;
      const left = b.createdAt + job.executorTimeout * 1000 - now;
      this.timeouts.arm(b, Math.max(0, left) / 1000);
    }
    for (const r of runs) {
      if (isBatchFinished(r.status)) continue;
      const workflow = this.workflows.workflow(r.workflowId);
      if (!workflow) continue;
      const left = r.createdAt + workflow.executorTimeout * 1000 - now;
      this.timers.after(Math.max(0, left), () => {
        if (!isBatchFinished(r.status)) this.runner.stop(r);
      });
    }
  }
}
