import type { PerExecutorLimits } from '../config/snail-job-options.interface.js';
import { LinkedQueue, type QueueNode } from '../common/linked-queue.js';

/** A task waiting for a slot; `grant` runs once a slot is reserved for it. */
interface Waiter {
  readonly executor: ExecutorSlots;
  readonly grant: () => void;
}

/** Slots of one executor. */
interface ExecutorSlots {
  readonly name: string;
  readonly limit: number;
  inUse: number;
  readonly waiting: LinkedQueue<Waiter>;
}

/** Handle of a waiting request, to cancel it. */
export type AdmissionTicket = QueueNode<Waiter>;

/**
 * Caps on running tasks: `maxConcurrentTasks` for the whole process and `maxConcurrentPerExecutor` per
 * executor. A request that finds no slot waits in its executor's FIFO; when a slot frees, the executors whose
 * own cap allows it take turns (round-robin), so one saturated executor never holds back the others. Every
 * operation is O(1).
 */
export class AdmissionControl {
  private inUse = 0;
  private waitingCount = 0;
  private readonly executors = new Map<string, ExecutorSlots>();
  /** Executors with waiters that only the global cap holds back, in turn order. */
  private readonly ready = new Set<ExecutorSlots>();

  constructor(
    private readonly maxConcurrent: number,
    private readonly perExecutor: PerExecutorLimits,
  ) {}

  /** Slots in use (running tasks, including aborted handlers that have not returned yet). */
  get running(): number {
    return this.inUse;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.waitingCount;
  }

  /** The cap of one executor (Infinity when only the global cap applies). */
  limitOf(executor: string): number {
    return this.perExecutor.byExecutor[executor] ?? this.perExecutor.others ?? Infinity;
  }

  /** Whether a request for `executor` would get a slot right now. */
  wouldGrant(executor: string): boolean {
    const slots = this.executors.get(executor);
    return (
      this.inUse < this.maxConcurrent && (!slots || (slots.waiting.size === 0 && slots.inUse < slots.limit))
    );
  }

  /**
   * Takes a slot for `executor`: returns `undefined` when granted at once (the caller runs now), otherwise a
   * ticket; `grant` is called later, when the slot is reserved.
   */
  acquire(executor: string, grant: () => void): AdmissionTicket | undefined {
    const slots = this.slots(executor);
    if (this.wouldGrant(executor)) {
      this.take(slots);
      return undefined;
    }
    const ticket = slots.waiting.push({ executor: slots, grant });
    this.waitingCount++;
    if (slots.inUse < slots.limit) this.ready.add(slots);
    return ticket;
  }

  /** Withdraws a waiting request (its task was stopped before it started). */
  cancel(ticket: AdmissionTicket): void {
    if (!ticket.linked) return;
    const slots = ticket.value.executor;
    slots.waiting.remove(ticket);
    this.waitingCount--;
    if (slots.waiting.size === 0) this.ready.delete(slots);
  }

  /** Frees a slot of `executor` and hands free slots to waiting requests. */
  release(executor: string): void {
    const slots = this.executors.get(executor);
    if (!slots || slots.inUse === 0) return;
    slots.inUse--;
    this.inUse--;
    if (slots.waiting.size > 0 && slots.inUse < slots.limit) this.ready.add(slots);
    const granted: Waiter[] = [];
    while (this.inUse < this.maxConcurrent && this.ready.size > 0) {
      const next = this.ready.values().next().value as ExecutorSlots;
      this.ready.delete(next);
      const waiter = next.waiting.shift()!;
      this.waitingCount--;
      this.take(next);
      if (next.waiting.size > 0 && next.inUse < next.limit) this.ready.add(next);
      granted.push(waiter);
    }
    for (const waiter of granted) waiter.grant();
  }

  private take(slots: ExecutorSlots): void {
    slots.inUse++;
    this.inUse++;
  }

  private slots(executor: string): ExecutorSlots {
    let slots = this.executors.get(executor);
    if (!slots) {
      slots = { name: executor, limit: this.limitOf(executor), inUse: 0, waiting: new LinkedQueue() };
      this.executors.set(executor, slots);
    }
    return slots;
  }
}
