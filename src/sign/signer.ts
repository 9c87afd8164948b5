/**
 * HS256 signer for Daily meeting tokens, prepared once per key. The output is byte-identical to
 * jose's `new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key)`
 * (proved by a property test); node:crypto's HMAC is used directly because jose's async,
 * per-token WebCrypto path costs far more than the hash itself.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

export const HEADER = { alg: 'HS256', typ: 'JWT' } as const;
const ENCODED_HEADER = Buffer.from(JSON.stringify(HEADER)).toString('base64url');

export type Sign = (claims: Readonly<Record<string, unknown>>) => string;

export function createSigner(apiKey: string): Sign {
  // Daily uses the API key's text as the HMAC secret, as jose does with a TextEncoder.
  const key: KeyObject = createSecretKey(Buffer.from(apiKey, 'utf8'));
  return function sign(claims) {
    const input = `${ENCODED_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  };
}
