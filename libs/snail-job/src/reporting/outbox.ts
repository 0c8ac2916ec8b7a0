import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedSnailJobOptions } from '../config/snail-job-options.interface.js';
import { parseJson, stringifyJson } from '../protocol/json.js';
import type { DispatchJobResultRequest } from '../protocol/payloads.js';
import { SNAIL_JOB_OPTIONS } from '../snail-job.constants.js';
import {
  OUTBOX_CORRUPT_LINES,
  OUTBOX_LOCKED,
  OUTBOX_UNUSABLE,
  OUTBOX_WRITE_FAILED,
} from '../snail-job.messages.js';

/** A report kept in the outbox. */
export interface OutboxRecord {
  readonly id: number;
  /** Epoch ms when it was first written. */
  readonly at: number;
  readonly report: DispatchJobResultRequest;
}

/** How often written records are flushed to the disk (fdatasync) when something changed. */
const SYNC_EVERY_MS = 1_000;
/** Rewrite the file when it holds this many lines and mostly acknowledged ones. */
const COMPACT_LINES = 10_000;

/**
 * The optional on-disk outbox of result reports (`outboxDir`). Append-only JSON lines, one file per group:
 * `{"add":id,"at":ms,"report":{…}}` before a report is sent, `{"ack":id}` once the server confirmed it (or it was
 * given up). At start the file is read, reports without an ack are handed back for re-sending, and the file is
 * rewritten with only those (compaction; also done at run time when acknowledged lines dominate, and the file is
 * truncated whenever nothing is pending).
 *
 * Durability: every record is written with a synchronous `write(2)` before the report is sent, so a crash of the
 * process (exception, OOM kill, SIGKILL) loses nothing; `fdatasync` runs at most once per second, at compaction
 * and at close, so a crash of the machine loses at most the last second of records. A lock file holding the pid
 * keeps two live processes from sharing one outbox.
 */
@Injectable()
export class ResultOutbox {
  private readonly logger = new Logger('SnailJob');
  private fd: number | undefined;
  private file = '';
  private lockFile = '';
  /** Serialised `add` line of every report not acknowledged yet. */
  private readonly pending = new Map<number, string>();
  private nextId = 1;
  private lines = 0;
  private dirty = false;
  private syncing = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private writeFailed = false;

  constructor(@Inject(SNAIL_JOB_OPTIONS) private readonly options: ResolvedSnailJobOptions) {}

  /** True while an outbox is open and writable. */
  get enabled(): boolean {
    return this.fd !== undefined && !this.writeFailed;
  }

  /** The outbox file (empty until opened). */
  get path(): string {
    return this.file;
  }

  /** Reports written and not acknowledged yet. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Opens the outbox of `outboxDir` (no-op when it is off): creates the directory, takes the lock, compacts the
   * file and returns the reports an earlier run left undelivered, oldest first. Throws a clear error when the
   * directory is unusable or locked by another live process.
   */
  open(): OutboxRecord[] {
    const dir = this.options.outboxDir;
    if (dir === undefined || this.fd !== undefined) return [];
    const base = `results-${this.options.group}`;
    this.file = path.resolve(dir, `${base}.jsonl`);
    this.lockFile = path.resolve(dir, `${base}.lock`);
    let owner: number | undefined;
    try {
      fs.mkdirSync(dir, { recursive: true });
      owner = this.lock();
    } catch (e) {
      throw new Error(OUTBOX_UNUSABLE(dir, (e as Error).message), { cause: e });
    }
    if (owner !== undefined) throw new Error(OUTBOX_LOCKED(dir, owner));
    try {
      const leftovers = this.load();
      this.rewrite();
      this.syncTimer = setInterval(() => this.syncSoon(), SYNC_EVERY_MS);
      this.syncTimer.unref();
      return leftovers;
    } catch (e) {
      this.unlock();
      throw new Error(OUTBOX_UNUSABLE(dir, (e as Error).message), { cause: e });
    }
  }

  /** Writes a report before it is sent; returns its id, or undefined when the outbox is off or failing. */
  append(report: DispatchJobResultRequest): number | undefined {
    if (!this.enabled) return undefined;
    const id = this.nextId++;
    const line = `${stringifyJson({ add: id, at: Date.now(), report })}\n`;
    if (!this.write(line)) return undefined;
    this.pending.set(id, line);
    return id;
  }

  /** Marks a report as done (confirmed by the server, or given up). */
  ack(id: number | undefined): void {
    if (id === undefined || !this.pending.delete(id) || !this.enabled) return;
    if (this.pending.size === 0) {
      this.truncate();
      return;
    }
    this.write(`{"ack":${id}}\n`);
    if (this.lines > COMPACT_LINES && this.lines > 4 * this.pending.size) this.compact();
  }

  /** Flushes to disk and releases the lock; reports still pending stay in the file for the next start. */
  close(): number {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = undefined;
    const kept = this.pending.size;
    if (this.fd !== undefined) {
      try {
        if (kept === 0) fs.ftruncateSync(this.fd, 0);
        fs.fdatasyncSync(this.fd);
      } catch {
        // Best effort: the records are already written.
      }
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    this.unlock();
    this.pending.clear();
    return kept;
  }

  private load(): OutboxRecord[] {
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const adds = new Map<number, OutboxRecord>();
    let corrupt = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const rec = parseJson(line) as { add?: unknown; ack?: unknown; at?: unknown; report?: unknown };
        if (typeof rec.ack === 'number') adds.delete(rec.ack);
        else if (typeof rec.add === 'number' && rec.report !== null && typeof rec.report === 'object') {
          const at = typeof rec.at === 'number' ? rec.at : 0;
          adds.set(rec.add, { id: rec.add, at, report: rec.report as DispatchJobResultRequest });
        } else corrupt++;
        this.nextId = Math.max(this.nextId, Number(rec.add ?? rec.ack ?? 0) + 1);
      } catch {
        corrupt++; // typically the last line, cut short by a crash
      }
    }
    if (corrupt > 0) this.logger.warn(OUTBOX_CORRUPT_LINES(this.file, corrupt));
    const records = [...adds.values()].sort((a, b) => a.id - b.id);
    for (const r of records) {
      this.pending.set(r.id, `${stringifyJson({ add: r.id, at: r.at, report: r.report })}\n`);
    }
    return records;
  }

  /** Replaces the file by one holding only the pending records (write, fsync, rename), then appends to it. */
  private rewrite(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    const tmp = `${this.file}.tmp`;
    const out = fs.openSync(tmp, 'w');
    try {
      const text = [...this.pending.values()].join('');
      if (text) fs.writeSync(out, text);
      fs.fdatasyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    fs.renameSync(tmp, this.file);
    syncDirectory(path.dirname(this.file));
    this.fd = fs.openSync(this.file, 'a');
    this.lines = this.pending.size;
    this.dirty = false;
  }

  private compact(): void {
    try {
      this.rewrite();
    } catch (e) {
      this.fail(e);
    }
  }

  private truncate(): void {
    try {
      fs.ftruncateSync(this.fd!, 0);
      this.lines = 0;
      this.dirty = true;
    } catch (e) {
      this.fail(e);
    }
  }

  private write(line: string): boolean {
    try {
      fs.writeSync(this.fd!, line);
      this.lines++;
      this.dirty = true;
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  /** A write failed (disk full, permissions): keep running with reports in memory only. */
  private fail(error: unknown): void {
    if (!this.writeFailed) this.logger.error(OUTBOX_WRITE_FAILED(this.file, (error as Error).message));
    this.writeFailed = true;
  }

  private syncSoon(): void {
    if (!this.dirty || this.syncing || this.fd === undefined) return;
    this.dirty = false;
    this.syncing = true;
    fs.fdatasync(this.fd, () => {
      this.syncing = false;
    });
  }

  /** Takes the lock file; returns the pid of another live process holding it instead. */
  private lock(): number | undefined {
    try {
      fs.writeFileSync(this.lockFile, String(process.pid), { flag: 'wx' });
      return undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(fs.readFileSync(this.lockFile, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) return owner;
    fs.writeFileSync(this.lockFile, String(process.pid)); // stale lock of a dead process
    return undefined;
  }

  private unlock(): void {
    try {
      if (fs.readFileSync(this.lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(this.lockFile);
    } catch {
      // Already gone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not supported everywhere (e.g. Windows); the rename itself is atomic.
  }
}
