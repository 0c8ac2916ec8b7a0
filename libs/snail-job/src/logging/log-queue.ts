/**
 * A FIFO ring buffer holding at most `capacity` items. It grows on demand (so a large cap costs nothing
 * until used); pushing onto a full queue evicts the oldest item, and every operation is O(1).
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`BoundedQueue capacity must be >= 1, got ${capacity}`);
  }

  /** Items queued. */
  get length(): number {
    return this.size;
  }

  /** Appends `item`; when full, evicts and returns the oldest item. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.size === this.capacity) evicted = this.shift();
    else if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) % this.items.length] = item;
    this.size++;
    return evicted;
  }

  /** Puts `item` back at the head (it becomes the oldest). Returns false, changing nothing, when full. */
  unshift(item: T): boolean {
    if (this.size === this.capacity) return false;
    if (this.size === this.items.length) this.grow();
    this.head = (this.head - 1 + this.items.length) % this.items.length;
    this.items[this.head] = item;
    this.size++;
    return true;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.size--;
    return item;
  }

  /** The oldest item, left in place. */
  peek(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  /** Removes everything; returns how many items there were. */
  clear(): number {
    const n = this.size;
    this.items = new Array<T | undefined>(16);
    this.head = 0;
    this.size = 0;
    return n;
  }

  private grow(): void {
    const next = new Array<T | undefined>(Math.min(this.capacity, this.items.length * 2));
    for (let i = 0; i < this.size; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
