import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalFile } from './journal-file.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'snail-journal-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('JournalFile (append-only JSON lines, snapshot compaction)', () => {
  it('reads back what was appended, in order', () => {
    const dir = tempDir();
    const first = JournalFile.open(dir);
    expect(first.loaded).toEqual({ records: [], dropped: 0 });
    first.journal.append([{ t: 'job', k: '1', v: { a: 1 } }]);
    first.journal.append([
      { t: 'job', k: '2', v: { a: 2 } },
      { t: 'job', k: '1', d: 1 },
    ]);
    first.journal.close();
    const again = JournalFile.open(dir);
    expect(again.loaded.records).toEqual([
      { t: 'job', k: '1', v: { a: 1 } },
      { t: 'job', k: '2', v: { a: 2 } },
      { t: 'job', k: '1', d: 1 },
    ]);
    again.journal.close();
  });

  it('drops a torn last line, cuts it off and appends after the last good record', () => {
    const dir = tempDir();
    const { journal } = JournalFile.open(dir);
    journal.append([{ t: 'job', k: '1', v: 1 }]);
    journal.close();
    appendFileSync(join(dir, 'journal-0.jsonl'), '{"t":"job","k":"2","v":{"half');
    const reopened = JournalFile.open(dir);
    expect(reopened.loaded).toEqual({ records: [{ t: 'job', k: '1', v: 1 }], dropped: 1 });
    reopened.journal.append([{ t: 'job', k: '3', v: 3 }]);
    reopened.journal.close();
    expect(readFileSync(join(dir, 'journal-0.jsonl'), 'utf8')).toBe(
      '{"t":"job","k":"1","v":1}\n{"t":"job","k":"3","v":3}\n',
    );
  });

  it('compacts into a snapshot and keeps appending to the next generation', () => {
    const dir = tempDir();
    const { journal } = JournalFile.open(dir);
    journal.append([{ t: 'job', k: '1', v: 'old' }]);
    journal.compact([{ t: 'job', k: '1', v: 'snap' }]);
    journal.append([{ t: 'job', k: '2', v: 'new' }]);
    journal.close();
    expect(existsSync(join(dir, 'journal-0.jsonl'))).toBe(false);
    expect(readFileSync(join(dir, 'snapshot.jsonl'), 'utf8').split('\n')[0]).toBe('{"gen":1}');
    const { journal: j2, loaded } = JournalFile.open(dir);
    expect(loaded.records).toEqual([
      { t: 'job', k: '1', v: 'snap' },
      { t: 'job', k: '2', v: 'new' },
    ]);
    j2.close();
  });

  it('survives a compaction interrupted before the snapshot was renamed', () => {
    const dir = tempDir();
    const { journal } = JournalFile.open(dir);
    journal.append([{ t: 'job', k: '1', v: 1 }]);
    journal.close();
    // The next generation's journal and a temporary snapshot exist; the old snapshot (none) stands.
    writeFileSync(join(dir, 'journal-1.jsonl'), '');
    writeFileSync(join(dir, 'snapshot.jsonl.tmp'), '{"gen":1}\n{"t":"job","k":"1","v":1}\n');
    const { journal: j2, loaded } = JournalFile.open(dir);
    expect(loaded.records).toEqual([{ t: 'job', k: '1', v: 1 }]);
    j2.close();
    expect(existsSync(join(dir, 'journal-1.jsonl'))).toBe(false);
  });

  it('refuses a directory another live process holds, and takes over a stale lock', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lock'), String(process.ppid));
    expect(() => JournalFile.open(dir)).toThrow(`is in use by process ${process.ppid}`);
    writeFileSync(join(dir, 'lock'), '2147483646');
    const { journal } = JournalFile.open(dir);
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(String(process.pid));
    journal.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('loses at most the record being written when the writer is killed mid-write', async () => {
    const dir = tempDir();
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['apps/dev-server/test/journal-writer.mjs', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      const target = 200 + round * 300;
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          const lines = out.trim().split('\n');
          if (Number(lines[lines.length - 1]) >= target) {
            clearInterval(timer);
            resolve();
          } else if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`writer exited early: ${err}`));
          }
        }, 5);
      });
      process.kill(child.pid!, 'SIGKILL');
      await exited;
      const acknowledged = Math.max(...out.trim().split('\n').map(Number));
      const { journal, loaded } = JournalFile.open(dir);
      journal.close();
      const seqs = [...new Set(loaded.records.map((r) => Number(r.k)))].sort((a, b) => a - b);
      // Every acknowledged record is there, numbered without gaps; at most the one in flight is lost.
      expect(seqs[0]).toBe(1);
      expect(seqs.length).toBe(seqs[seqs.length - 1]);
      expect(seqs.length).toBeGreaterThanOrEqual(acknowledged);
      expect(loaded.dropped).toBeLessThanOrEqual(1);
      // Start the next round from a fresh directory with the survivor's state.
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
