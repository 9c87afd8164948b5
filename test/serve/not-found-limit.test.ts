import { describe, expect, it } from 'vitest';
import { NotFoundLimit } from '../../src/serve/not-found-limit.js';

describe('per-address limit on 404s', () => {
  it('blocks an address after `limit` 404s until its window ends; other addresses are not affected', () => {
    const limit = new NotFoundLimit(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(limit.blockedFor('10.0.0.1', 1000 + i)).toBe(0);
      limit.count('10.0.0.1', 1000 + i);
    }
    expect(limit.blockedFor('10.0.0.1', 2000)).toBe(59_000);
    expect(limit.blockedFor('10.0.0.2', 2000)).toBe(0);
    expect(limit.blockedFor('10.0.0.1', 61_000)).toBe(0);
    limit.count('10.0.0.1', 61_000);
    expect(limit.blockedFor('10.0.0.1', 61_001)).toBe(0);
  });

  it('keeps at most maxAddresses (forgets ended windows first)', () => {
    const limit = new NotFoundLimit(1, 1000, 2);
    limit.count('a', 0);
    limit.count('b', 500);
    limit.count('c', 1200); // a's window ended: forgotten, b kept
    expect(limit.blockedFor('b', 1300)).toBe(200);
    expect(limit.blockedFor('a', 1300)).toBe(0);
    expect(limit.blockedFor('c', 1300)).toBe(900);
  });
});
