import { describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { createSigner } from '../../src/sign/signer.js';
import { keyFingerprint } from '../../src/sign/fingerprint.js';
import { createMapper } from '../../src/claims/map-row.js';
import { planColumns } from '../../src/claims/column-plan.js';
import { DOMAIN_ID, KEY } from '../helpers.js';

// Frozen clock: iat 2026-11-27T10:00:00Z. Expected tokens were produced by jsonwebtoken 9 from
// the same payloads and are kept literally, so any change in bytes is caught.
const IAT = 1795773600;

const GOLDEN = [
  {
    claims: { r: 'weekly-standup', d: DOMAIN_ID, iat: IAT, exp: 1796378400, ud: 'u-1', u: 'Ada Lovelace', o: true },
    token:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyIjoid2Vla2x5LXN0YW5kdXAiLCJkIjoiOWNiNzM4ZTEtNWE5NS0zN2YxLWE1MTctMGExOGNmMzI4YTM5IiwiaWF0IjoxNzk1NzczNjAwLCJleHAiOjE3OTYzNzg0MDAsInVkIjoidS0xIiwidSI6IkFkYSBMb3ZlbGFjZSIsIm8iOnRydWV9.UxINa-_B-xgViOu9CRSmRlawQgLiKiXAYgvPFJ-G4y8',
  },
  {
    claims: {
      d: DOMAIN_ID,
      iat: IAT,
      nbf: 1795780800,
      exp: 1795867200,
      u: 'Zoë 🎉 "Q", عربى',
      vo: true,
      uil: 'pt-BR',
      eje: 3600,
      p: { hp: true, cs: 'v,a', cr: { b: true } },
    },
    token:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJkIjoiOWNiNzM4ZTEtNWE5NS0zN2YxLWE1MTctMGExOGNmMzI4YTM5IiwiaWF0IjoxNzk1NzczNjAwLCJuYmYiOjE3OTU3ODA4MDAsImV4cCI6MTc5NTg2NzIwMCwidSI6Ilpvw6sg8J-OiSBcIlFcIiwg2LnYsdio2YkiLCJ2byI6dHJ1ZSwidWlsIjoicHQtQlIiLCJlamUiOjM2MDAsInAiOnsiaHAiOnRydWUsImNzIjoidixhIiwiY3IiOnsiYiI6dHJ1ZX19fQ.HPLQgLSOb0pdfmdjPZxCm4FDzjDNtg72ZPM7rZnTqGs',
  },
];

describe('signer golden tokens', () => {
  const sign = createSigner(KEY);

  it.each(GOLDEN.map((g, i) => [i, g] as const))('token %i is byte-identical to the golden token', (_i, { claims, token }) => {
    expect(sign(claims)).toBe(token);
  });

  it.each(GOLDEN.map((g, i) => [i, g] as const))('token %i matches jsonwebtoken.sign (second library)', (_i, { claims, token }) => {
    expect(jwt.sign(claims, KEY, { algorithm: 'HS256' })).toBe(token);
    expect(jwt.verify(sign(claims), KEY, { algorithms: ['HS256'], clockTimestamp: IAT, ignoreNotBefore: true })).toEqual(claims);
  });

  it('a different key gives a different signature over the same payload', () => {
    const other = createSigner(KEY.replace('c0', 'c1'))(GOLDEN[0]!.claims);
    expect(other.split('.').slice(0, 2)).toEqual(GOLDEN[0]!.token.split('.').slice(0, 2));
    expect(other).not.toBe(GOLDEN[0]!.token);
  });

  it('a roster row mapped under the frozen clock signs to the golden token', () => {
    const plan = planColumns(['room', 'name', 'id', 'owner', 'email'], { roomOptional: false });
    const mapRow = createMapper(
      { domainId: DOMAIN_ID, iat: IAT, ttlSeconds: 7 * 86400, maxTtlSeconds: 30 * 86400, allowAllRooms: false, defaults: new Map() },
      plan,
    );
    const mapped = mapRow([' weekly-standup ', 'Ada Lovelace', 'u-1', 'YES', 'ada@example.com']);
    expect(sign(mapped.claims)).toBe(GOLDEN[0]!.token);
  });

  it('the key fingerprint is the first 8 hex digits of SHA-256 and never the key', () => {
    expect(keyFingerprint(KEY)).toMatch(/^[0-9a-f]{8}$/);
    expect(KEY).not.toContain(keyFingerprint(KEY));
    expect(keyFingerprint('DEMO-KEY-not-a-Daily-key-Daily-rejects-tokens-signed-with-it')).toBe('5fd5df4b');
  });
});
