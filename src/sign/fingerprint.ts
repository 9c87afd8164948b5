import { createHash } from 'node:crypto';

/** First 8 hex digits of SHA-256 of the key: names a key in manifests without revealing it. */
export function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 8);
}
