import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { createSigner, HEADER } from '../../src/sign/signer.js';

const jose = (claims: Record<string, unknown>, key: string) =>
  new SignJWT(claims).setProtectedHeader({ ...HEADER }).sign(new TextEncoder().encode(key));

const CLAIMS = { d: '9cb738e1-5a95-37f1-a517-0a18cf328a39', iat: 1795773600, exp: 1795860000, r: 'demo' };

describe('signer, inputs Daily keys never have', () => {
  it.each([
    ['with some bytes over 0x7f', 'clé-de-démonstration-0123456789-abcdef'],
    ['of bytes over 0x7f only', 'é'.repeat(20)], // 40 bytes: within one block
    ['of exactly one SHA-256 block', 'k'.repeat(64)],
    ['longer than a SHA-256 block', 'k'.repeat(65)],
  ])('a key %s signs as jose does', async (_name, key) => {
    expect(createSigner(key)(CLAIMS)).toBe(await jose(CLAIMS, key));
  });
});

describe('signer, payload sizes', () => {
  it('a payload larger than its first buffer, after a small one and before another, signs as jose does', async () => {
    const key = 'c0ffee00'.repeat(8);
    const sign = createSigner(key);
    // 3,000 two-byte characters: 6,000 bytes of JSON, past the first 4 KiB buffer.
    const large = { ...CLAIMS, u: 'é'.repeat(3000) };
    const larger = { ...CLAIMS, u: 'ü'.repeat(5000) };
    expect(sign(CLAIMS)).toBe(await jose(CLAIMS, key));
    expect(sign(large)).toBe(await jose(large, key));
    expect(sign(CLAIMS)).toBe(await jose(CLAIMS, key));
    expect(sign(larger)).toBe(await jose(larger, key));
  });
});
