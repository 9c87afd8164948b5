/**
 * A binary min-heap of merge sources, ordered by `before`: what every k-way merge of sorted runs
 * (the duplicate counter's, the recipient grouping's) takes its next record from.
 */
export class MinHeap<T> {
  constructor(
    private readonly items: T[],
    private readonly before: (a: T, b: T) => boolean,
  ) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  top(): T {
    return this.items[0]!;
  }

  pop(): void {
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.siftDown();
    }
  }

  /** Restores heap order after the item at `i` (the top by default) moved on. */
  siftDown(i = 0): void {
    const { items, before } = this;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      let least = left;
      if (right < n && before(items[right]!, items[left]!)) least = right;
      if (!before(items[least]!, items[i]!)) return;
      [items[i], items[least]] = [items[least]!, items[i]!];
      i = least;
    }
  }
}
