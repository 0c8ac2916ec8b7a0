import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** One line of the journal: an upsert (`v`) or a delete (`d`) of entity `k` of table `t`. */
export interface JournalRecord {
  t: string;
  k: string;
  v?: unknown;
  d?: 1;
}

/** What {@link JournalFile.open} found on disk. */
export interface LoadedJournal {
  /** Snapshot records, then journal records, in write order. */
  records: JournalRecord[];
  /** Lines that could not be read (a torn last line after a crash, or damage) and were dropped. */
  dropped: number;
}

const SNAPSHOT = 'snapshot.jsonl';
const LOCK = 'lock';
const journalName = (gen: number) => `journal-${gen}.jsonl`;

/**
 * An append-only JSON-lines journal with snapshot compaction in a directory:
 *
 * - `snapshot.jsonl`: a header line `{"gen":N}` and one record per live entity; replaced atomically (written to a
 *   temporary file, fsynced, renamed), so it is either the old or the new one.
 * - `journal-N.jsonl`: the records written since snapshot generation N, one JSON object per line. A crash in the
 *   middle of an append leaves at most a torn last line, which the reader drops (and cuts off before appending),
 *   so a crash loses at most the record being written, never the file.
 * - `lock`: the pid of the process using the directory.
 *
 * Compaction starts journal N+1 and only then renames the new snapshot (gen N+1) into place: a crash in between
 * leaves the old snapshot with its complete journal N.
 */
export class JournalFile {
  private fd: number | undefined;
  private gen = 0;
  private appended = 0;

  private constructor(readonly dir: string) {}

  /** Opens (creating) the directory, takes its lock and reads what it holds. */
  static open(dir: string): { journal: JournalFile; loaded: LoadedJournal } {
    mkdirSync(dir, { recursive: true });
    const journal = new JournalFile(dir);
    journal.lock();
    try {
      return { journal, loaded: journal.load() };
    } catch (e) {
      journal.close();
      throw e;
    }
  }

  /** Records appended since the last compaction. */
  get appendedSinceCompaction(): number {
    return this.appended;
  }

  /** Appends records in one write (durable once the OS has it; `fsync` only at compaction and close). */
  append(records: JournalRecord[]): void {
    if (records.length === 0) return;
    if (this.fd === undefined) throw new Error('journal is closed');
    const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    writeSync(this.fd, text);
    this.appended += records.length;
  }

  /** Replaces snapshot and journal by a snapshot of `live` (one record per entity). */
  compact(live: JournalRecord[]): void {
    if (this.fd === undefined) throw new Error('journal is closed');
    const next = this.gen + 1;
    const nextFd = openSync(join(this.dir, journalName(next)), 'w');
    fsyncSync(this.fd);
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const body = [JSON.stringify({ gen: next }), ...live.map((r) => JSON.stringify(r))].join('\n') + '\n';
    writeFileSync(tmp, body);
    const tmpFd = openSync(tmp, 'r+');
    fsyncSync(tmpFd);
    closeSync(tmpFd);
    renameSync(tmp, join(this.dir, SNAPSHOT));
    closeSync(this.fd);
    this.fd = nextFd;
    const old = this.gen;
    this.gen = next;
    this.appended = 0;
    try {
      unlinkSync(join(this.dir, journalName(old)));
    } catch {
      // already gone
    }
  }

  /** Flushes to disk and releases the lock. */
  close(): void {
    if (this.fd !== undefined) {
      try {
        fsyncSync(this.fd);
      } finally {
        closeSync(this.fd);
        this.fd = undefined;
      }
    }
    try {
      if (readFileSync(join(this.dir, LOCK), 'utf8').trim() === String(process.pid))
        unlinkSync(join(this.dir, LOCK));
    } catch {
      // no lock
    }
  }

  private lock(): void {
    const path = join(this.dir, LOCK);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, String(process.pid), { flag: 'wx' });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(
          `Data directory ${this.dir} is in use by process ${pid} (remove ${path} if it is not).`,
        );
      }
      unlinkSync(path); // stale: its process is gone
    }
    throw new Error(`Could not lock data directory ${this.dir}.`);
  }

  private load(): LoadedJournal {
    const records: JournalRecord[] = [];
    let dropped = 0;
    const snapshotPath = join(this.dir, SNAPSHOT);
    if (existsSync(snapshotPath)) {
      const lines = readFileSync(snapshotPath, 'utf8').split('\n');
      const header = parseLine(lines[0] ?? '') as { gen?: unknown } | undefined;
      if (!header || typeof header.gen !== 'number') throw new Error(`${snapshotPath}: no snapshot header`);
      this.gen = header.gen;
      for (const line of lines.slice(1)) {
        if (line === '') continue;
        const r = parseRecord(line);
        if (r) records.push(r);
        else dropped++;
      }
    }
    // Leftovers of an interrupted compaction.
    for (const f of readdirSync(this.dir)) {
      const m = /^journal-(\d+)\.jsonl$/.exec(f);
      if (m && Number(m[1]) !== this.gen) unlinkSync(join(this.dir, f));
    }
    const path = join(this.dir, journalName(this.gen));
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    let goodEnd = 0;
    let offset = 0;
    for (const line of text.split('\n')) {
      const end = offset + Buffer.byteLength(line) + 1;
      const complete = end <= Buffer.byteLength(text);
      if (line !== '') {
        const r = complete ? parseRecord(line) : undefined;
        if (r) {
          records.push(r);
          goodEnd = end;
        } else {
          dropped++;
        }
      } else if (complete) {
        goodEnd = end;
      }
      offset = end;
    }
    // Cut a torn tail so that the next append starts on a fresh line.
    if (goodEnd < Buffer.byteLength(text)) {
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, goodEnd);
      closeSync(fd);
    }
    this.fd = openSync(path, 'a');
    return { records, dropped };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function parseRecord(line: string): JournalRecord | undefined {
  const r = parseLine(line) as JournalRecord | undefined;
  return r && typeof r === 'object' && typeof r.t === 'string' && typeof r.k === 'string' ? r : undefined;
}
