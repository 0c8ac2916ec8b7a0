/** A node of a {@link LinkedQueue}: keep it to remove the value later in O(1). */
export interface QueueNode<T> {
  readonly value: T;
  prev: QueueNode<T> | undefined;
  next: QueueNode<T> | undefined;
  /** False once shifted or removed. */
  linked: boolean;
}

/** FIFO queue with O(1) push, shift and removal of any element (a doubly linked list). */
export class LinkedQueue<T> {
  private head: QueueNode<T> | undefined;
  private tail: QueueNode<T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends `value`; returns its node for {@link remove}. */
  push(value: T): QueueNode<T> {
    const node: QueueNode<T> = { value, prev: this.tail, next: undefined, linked: true };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.count++;
    return node;
  }

  /** Puts `value` first (it is shifted next). */
  unshift(value: T): QueueNode<T> {
    const node: QueueNode<T> = { value, prev: undefined, next: this.head, linked: true };
    if (this.head) this.head.prev = node;
    else this.tail = node;
    this.head = node;
    this.count++;
    return node;
  }

  /** Removes and returns the oldest value. */
  shift(): T | undefined {
    const node = this.head;
    if (!node) return undefined;
    this.remove(node);
    return node.value;
  }

  /** Removes `node` if it is still queued. */
  remove(node: QueueNode<T>): void {
    if (!node.linked) return;
    node.linked = false;
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = undefined;
    this.count--;
  }

  /** Values oldest first (a snapshot, safe to modify the queue while iterating it). */
  values(): T[] {
    const out: T[] = [];
    for (let n = this.head; n; n = n.next) out.push(n.value);
    return out;
  }
}
