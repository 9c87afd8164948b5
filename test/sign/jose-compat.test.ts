import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SignJWT, jwtVerify } from 'jose';
import { createSigner, HEADER } from '../../src/sign/signer.js';

// The hot path uses node:crypto directly; jose is the reference it must match byte for byte.
const claimValue = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string(),
  fc.boolean(),
  fc.integer({ min: 0, max: 2 ** 40 }),
  fc.dictionary(fc.constantFrom('hp', 'cs', 'cr', 'b'), fc.oneof(fc.boolean(), fc.constantFrom('v', 'v,a', 'sv,sa'))),
);
const claimSet = fc.record(
  {
    r: fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
    d: fc.uuid(),
    iat: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
    exp: fc.integer({ min: 2_000_000_001, max: 2_100_000_000 }),
    u: fc.string({ unit: 'grapheme', maxLength: 60 }),
    ud: fc.string({ maxLength: 36 }),
    o: fc.boolean(),
    extra: fc.dictionary(fc.constantFrom('k', 'ctoe', 'ss', 'vo', 'ao', 'uil', 'eje', 'rome', 'p', 'sro'), claimValue),
  },
  { requiredKeys: ['d', 'iat', 'exp'] },
);

describe('signer vs jose', () => {
  it('every token is byte-identical to jose SignJWT and accepted by jwtVerify', async () => {
    await fc.assert(
      fc.asyncProperty(claimSet, fc.string({ minLength: 32, maxLength: 80 }), async ({ extra, ...base }, key) => {
        const claims: Record<string, unknown> = { ...base, ...extra };
        const secret = new TextEncoder().encode(key);
        const ours = createSigner(key)(claims);
        const theirs = await new SignJWT(claims).setProtectedHeader({ ...HEADER }).sign(secret);
        expect(ours).toBe(theirs);
        const { payload, protectedHeader } = await jwtVerify(ours, secret, {
          algorithms: ['HS256'],
          currentDate: new Date((claims['iat'] as number) * 1000),
        });
        expect(protectedHeader).toEqual(HEADER);
        expect(payload).toEqual(claims);
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
