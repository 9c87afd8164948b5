import { describe, expect, it } from 'vitest';
import type { OpenCount } from '../../src/links/link-store.js';
import { OpenCounter } from '../../src/serve/open-counter.js';

/** A store's recordOpens that keeps every batch it was given, failing the first `failures` calls. */
function recorder(failures = 0) {
  const batches: OpenCount[][] = [];
  let calls = 0;
  return {
    batches,
    record: async (counts: readonly OpenCount[]): Promise<number> => {
      if (calls++ < failures) throw new Error('store down');
      batches.push(counts.map((c) => ({ ...c })));
      return counts.length;
    },
  };
}
const errors: [number, boolean][] = [];
const onError = (_: unknown, opens: number, dropped: boolean): void => void errors.push([opens, dropped]);
const until = async (done: () => boolean): Promise<void> => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('OpenCounter: opens counted behind the answers', () => {
  it('counts nothing while answering; close writes every open, one entry per link with its count, first and last time', async () => {
    const store = recorder();
    const counter = new OpenCounter({ record: store.record, onError, intervalMs: 60_000 });
    for (const [id, at] of [
      ['a', 10],
      ['a', 12],
      ['b', 11],
      ['a', 9],
    ] as const)
      counter.add(id, at);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.batches).toEqual([]);
    expect(counter.waiting).toBe(4);
    await counter.close();
    expect(store.batches).toEqual([
      [
        { id: 'a', opens: 3, first: 9, last: 12 },
        { id: 'b', opens: 1, first: 11, last: 11 },
      ],
    ]);
    expect(counter.waiting).toBe(0);
  });

  it('writes on its own within the interval, and at once when a batch is full', async () => {
    const timed = recorder();
    const counter = new OpenCounter({ record: timed.record, onError, intervalMs: 20 });
    counter.add('a', 1);
    await until(() => timed.batches.length > 0);
    expect(timed.batches).toEqual([[{ id: 'a', opens: 1, first: 1, last: 1 }]]);

    const full = recorder();
    const batched = new OpenCounter({ record: full.record, onError, intervalMs: 60_000, batch: 3 });
    for (const id of ['a', 'b', 'c']) batched.add(id, 1);
    await until(() => full.batches.length > 0);
    expect(full.batches[0]!.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    batched.add('d', 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(full.batches).toHaveLength(1);
    await batched.close();
    expect(full.batches[1]).toEqual([{ id: 'd', opens: 1, first: 2, last: 2 }]);
  });

  it('keeps a batch the store refused and adds it to the next; a stop that cannot write says the opens are lost', async () => {
    errors.length = 0;
    const store = recorder(1);
    const counter = new OpenCounter({ record: store.record, onError, intervalMs: 10 });
    counter.add('a', 5);
    await until(() => errors.length > 0);
    counter.add('a', 3);
    counter.add('b', 7);
    await until(() => store.batches.length > 0);
    expect(errors).toEqual([[1, false]]);
    expect(store.batches).toEqual([
      [
        { id: 'a', opens: 2, first: 3, last: 5 },
        { id: 'b', opens: 1, first: 7, last: 7 },
      ],
    ]);

    const down = new OpenCounter({ record: recorder(9).record, onError, intervalMs: 60_000 });
    down.add('c', 1);
    down.add('c', 2);
    await down.close();
    expect(errors).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('close waits for a write in progress, then writes what came after it', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const counter = new OpenCounter({
      record: async (counts) => {
        batches.push(counts.map((c) => c.id));
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      onError,
      intervalMs: 60_000,
      batch: 1,
    });
    counter.add('a', 1);
    await until(() => batches.length === 1);
    counter.add('b', 1);
    const closed = counter.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([['a']]);
    release();
    await closed;
    expect(batches).toEqual([['a'], ['b']]);
  });
});
