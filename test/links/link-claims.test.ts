import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { joinClaims, restClaimsJson } from '../../src/links/link-claims.js';

const held = fc.record({
  room: fc.string({ minLength: 1 }),
  domainId: fc.uuid(),
  iat: fc.integer({ min: 0, max: 2 ** 31 }),
  nbf: fc.option(fc.integer({ min: 0, max: 2 ** 31 })),
  exp: fc.integer({ min: 0, max: 2 ** 31 }),
});
const rest = fc.dictionary(
  fc.string().filter((k) => !['r', 'd', 'iat', 'nbf', 'exp', '__proto__'].includes(k)),
  fc.oneof(fc.string(), fc.boolean(), fc.integer()),
);

describe('link claims split into what the record holds and the rest', () => {
  it('join back to the same claims in the same order (map-row.ts order), whatever the strings hold', () => {
    fc.assert(
      fc.property(held, rest, (h, more) => {
        const claims: Record<string, unknown> = { r: h.room, d: h.domainId, iat: h.iat };
        if (h.nbf !== null) claims['nbf'] = h.nbf;
        claims['exp'] = h.exp;
        Object.assign(claims, more);
        const json = restClaimsJson(claims);
        expect(JSON.parse(json)).toEqual(more);
        expect(JSON.stringify(joinClaims(h, json))).toBe(JSON.stringify(claims));
      }),
    );
  });

  it('keep claims in another order whole (no claim lost)', () => {
    const claims = { u: 'Ada', r: 'room', d: 'x', exp: 5, o: true };
    expect(JSON.parse(restClaimsJson(claims))).toEqual({ u: 'Ada', o: true });
    expect(restClaimsJson({ r: 'a"exp":1,', exp: 9 })).toBe('{}');
  });
});
