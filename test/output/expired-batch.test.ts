import { describe, expect, it } from 'vitest';
import { latestPossibleExp, refuseExpiredBatch } from '../../src/output/expired-batch.js';
import type { ColumnPlan } from '../../src/claims/column-plan.js';
import type { MapperSettings } from '../../src/claims/map-row.js';

const plan = (notBefore = -1, expiresAt = -1): ColumnPlan => ({
  headers: [],
  room: 0,
  notBefore,
  expiresAt,
  properties: new Map(),
  userNameParts: undefined,
  passthrough: [],
});
const settings = (extra: Partial<MapperSettings> = {}): MapperSettings => ({
  domainId: 'd',
  iat: 1_000_000,
  ttlSeconds: 3600,
  maxTtlSeconds: 86_400,
  allowAllRooms: false,
  defaults: new Map(),
  ...extra,
});

describe('the latest expiry a run can give', () => {
  it('without time columns: ttl after the run, or after a later default not_before, never past max_ttl', () => {
    expect(latestPossibleExp(plan(), settings())).toBe(1_003_600);
    expect(latestPossibleExp(plan(), settings({ defaultNotBefore: 1_010_000 }))).toBe(1_013_600);
    expect(latestPossibleExp(plan(), settings({ defaultNotBefore: 990_000 }))).toBe(1_003_600);
    expect(latestPossibleExp(plan(), settings({ ttlSeconds: 90_000 }))).toBe(1_086_400);
    expect(latestPossibleExp(plan(), settings({ defaultNotBefore: 1_085_000 }))).toBe(1_086_400);
  });

  it('with an expires_at or not_before column: up to max_ttl', () => {
    expect(latestPossibleExp(plan(-1, 0), settings())).toBe(1_086_400);
    expect(latestPossibleExp(plan(0, -1), settings())).toBe(1_086_400);
  });
});

describe('a batch that would be expired when published', () => {
  it('passes while its latest expiry is after now, fails at or past it, saying when and what to do', () => {
    expect(() => refuseExpiredBatch(1_000_001, 1_000_000_999, 'before signing')).not.toThrow();
    expect(() => refuseExpiredBatch(1_000_000, 1_000_000_000, 'before signing')).toThrow(
      expect.objectContaining({
        code: 'TOKENS_EXPIRED',
        message:
          'every token of this run would expire by 1970-01-12T13:46:40Z, before it is published (1970-01-12T13:46:40Z); nothing was published: check --now and ttl, or give --allow-expired to publish them anyway',
      }),
    );
    expect(() => refuseExpiredBatch(1_000_000, 1_000_001_500, 'after signing')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /^every token signed expired by 1970-01-12T13:46:40Z, before it is published \(1970-01-12T13:46:41Z\)/,
        ),
      }),
    );
  });
});
