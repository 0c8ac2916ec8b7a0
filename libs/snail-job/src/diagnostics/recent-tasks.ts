/** When one task ran (`performance.now()` times). */
export interface TaskSpan {
  readonly executor: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The last few finished tasks, kept so an event-loop stall can be blamed on a task that just ended. */
export class RecentTasks {
  private readonly spans: (TaskSpan | undefined)[];
  private next = 0;

  constructor(capacity = 64) {
    this.spans = new Array<TaskSpan | undefined>(capacity);
  }

  /** Records a finished task (O(1), overwrites the oldest). */
  add(span: TaskSpan): void {
    this.spans[this.next] = span;
    this.next = (this.next + 1) % this.spans.length;
  }

  /** Executors of recorded tasks that were running at some point in `[from, to]`. */
  overlapping(from: number, to: number): string[] {
    const names: string[] = [];
    for (const s of this.spans) if (s && s.startedAt <= to && s.endedAt >= from) names.push(s.executor);
    return names;
  }
}
