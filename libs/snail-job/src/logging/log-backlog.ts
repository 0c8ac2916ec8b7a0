import { BoundedQueue } from './log-queue.js';
import type { LogEntry } from './task-log.js';

/**
 * The entries waiting to be sent: a FIFO bounded by entry count and by characters of text (beyond either,
 * the oldest entries go), which also tracks how many entries at its head are due — their window closed, so
 * they are sent even as a partial batch.
 */
export class LogBacklog {
  private readonly queue: BoundedQueue<LogEntry>;
  private chars = 0;
  private dueCount = 0;

  constructor(
    maxEntries: number,
    private readonly maxChars: number,
  ) {
    this.queue = new BoundedQueue(maxEntries);
  }

  /** Entries waiting. */
  get length(): number {
    return this.queue.length;
  }

  /** Entries at the head whose window has closed. */
  get due(): number {
    return this.dueCount;
  }

  /** Closes the window of everything waiting now. */
  markAllDue(): void {
    this.dueCount = this.queue.length;
  }

  /** Appends an entry; returns how many of the oldest were dropped to make room. */
  push(entry: LogEntry): number {
    const evicted = this.queue.push(entry);
    this.chars += weight(entry);
    let dropped = 0;
    if (evicted) dropped += this.removed(evicted);
    return dropped + this.trim();
  }

  /** Puts entries that could not be sent back at the head, due, in their order; returns how many no longer fit. */
  requeue(entries: readonly LogEntry[]): number {
    let dropped = 0;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (this.queue.unshift(entries[i])) {
        this.chars += weight(entries[i]);
        this.dueCount++;
      } else {
        dropped++;
      }
    }
    return dropped + this.trim();
  }

  /** The oldest entry, left in place. */
  peek(): LogEntry | undefined {
    return this.queue.peek();
  }

  /** Removes the oldest entry (it is being sent, or dropped). */
  shift(): LogEntry | undefined {
    const entry = this.queue.shift();
    if (entry) this.removed(entry);
    return entry;
  }

  /** Removes everything; returns how many entries there were. */
  clear(): number {
    this.chars = 0;
    this.dueCount = 0;
    return this.queue.clear();
  }

  /** Drops the oldest entries while the text exceeds its budget (always keeping the newest). */
  private trim(): number {
    let dropped = 0;
    while (this.chars > this.maxChars && this.queue.length > 1) {
      this.removed(this.queue.shift()!);
      dropped++;
    }
    return dropped;
  }

  private removed(entry: LogEntry): 1 {
    this.chars -= weight(entry);
    if (this.dueCount > 0) this.dueCount--;
    return 1;
  }
}

/** An entry's size against the text budget: its message and throwable characters. */
function weight(entry: LogEntry): number {
  return entry.message.length + (entry.throwable === undefined ? 0 : entry.throwable.length);
}
