import { Inject, Injectable } from '@nestjs/common';
import { uriPath } from 'nestjs-snail-job/protocol';
import { DEV_SERVER_OPTIONS, type ResolvedDevServerOptions } from '../dev-server.options.js';

/** One recorded call: `in` = client → server, `out` = server → client. */
export interface JournalEntry {
  seq: number;
  /** Epoch milliseconds when the request was received / sent. */
  at: number;
  direction: 'in' | 'out';
  uri: string;
  reqId: string;
  headers: Record<string, string>;
  /** The envelope body exactly as it travelled. */
  body: string;
  /** For outbound calls: `hostId@ip:port` of the client. */
  target?: string;
  /** The reply, once there is one (`undefined` for unanswered calls). */
  reply?: { status: number; message: string; data: string };
  /** Transport error / timeout of an outbound call. */
  error?: string;
}

/** Query of {@link RequestJournal.list}. */
export interface JournalQuery {
  /** Exact URI or path. */
  uri?: string;
  /** @default 'in' */
  direction?: 'in' | 'out' | 'all';
  /** Most recent entries only. */
  limit?: number;
}

/** Bounded in-memory record of every request, so tests can assert the exact JSON that travelled. */
@Injectable()
export class RequestJournal {
  private readonly entries: JournalEntry[] = [];
  private seq = 0;

  constructor(@Inject(DEV_SERVER_OPTIONS) private readonly options: ResolvedDevServerOptions) {}

  /** Records a request and returns the entry (to attach the reply later). */
  record(entry: Omit<JournalEntry, 'seq' | 'at'>): JournalEntry {
    const full: JournalEntry = { seq: ++this.seq, at: Date.now(), ...entry, headers: { ...entry.headers } };
    this.entries.push(full);
    if (this.entries.length > this.options.journalSize) this.entries.shift();
    return full;
  }

  /** Entries in chronological order. */
  list(query: JournalQuery = {}): JournalEntry[] {
    const direction = query.direction ?? 'in';
    const matches = this.entries.filter(
      (e) =>
        (direction === 'all' || e.direction === direction) &&
        (query.uri === undefined || e.uri === query.uri || uriPath(e.uri) === query.uri),
    );
    if (query.limit === undefined) return matches;
    return matches.slice(Math.max(0, matches.length - query.limit));
  }
}
