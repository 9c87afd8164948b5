/**
 * Short-link ids, split in two: a locator, then a verifier. The locator is the record's key in
 * base62 (`0-9 A-Z a-z`): `key = run seq * 2^32 + roster line`, so a run's records are appended
 * in key order and the store needs no index on a random value (the one that cost most of a run's
 * link writing: every commit rewrote pages all over it). The verifier is 22 random base62
 * characters (131 bits): it makes the id unguessable. The store keeps only the
 * verifier's SHA-256, compared in constant time, so a copy of the store opens no link; a wrong
 * verifier answers exactly as an unknown id does.
 */
import { hash, randomFillSync, timingSafeEqual } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Characters of every verifier. */
export const VERIFIER_LENGTH = 22;
/** Bytes of a verifier's hash as stores keep it. */
export const VERIFIER_HASH_BYTES = 32;
const LINE_SPAN = 2 ** 32;
/** Keys stay exact in a double and in SQLite's integer: up to 2^21 runs per store. */
const MAX_LOCATOR = 9;
const ID_FORM = /^[0-9A-Za-z]{23,31}$/;

/** The key of a run's record for roster line `line`. */
export function linkKey(runSeq: number, line: number): number {
  return runSeq * LINE_SPAN + line;
}

/** The first and last key a run's records can have. */
export function runKeys(runSeq: number): [number, number] {
  return [runSeq * LINE_SPAN, runSeq * LINE_SPAN + LINE_SPAN - 1];
}

/** The roster line of a key. */
export function lineOfKey(key: number): number {
  return key % LINE_SPAN;
}

/** A key in base62, without leading zeros. */
export function locatorOf(key: number): string {
  let out = '';
  do {
    const digit = key % 62;
    out = ALPHABET[digit]! + out;
    key = (key - digit) / 62;
  } while (key > 0);
  return out;
}

/** An id's parts, or undefined when `text` is not an id's form. */
export function parseLinkId(text: string): { key: number; locator: string; verifier: string } | undefined {
  if (!ID_FORM.test(text)) return undefined;
  const locator = text.slice(0, text.length - VERIFIER_LENGTH);
  if (locator.length > MAX_LOCATOR) return undefined;
  let key = 0;
  for (let i = 0; i < locator.length; i++) key = key * 62 + ALPHABET.indexOf(locator[i]!);
  if (!Number.isSafeInteger(key)) return undefined;
  return { key, locator, verifier: text.slice(locator.length) };
}

/** Whether `text` has the form of an id (a cheap refusal before any store is asked). */
export function isLinkId(text: string): boolean {
  return parseLinkId(text) !== undefined;
}

/** The SHA-256 of a verifier: what the store keeps. */
export function verifierHash(verifier: string): Buffer {
  return hash('sha256', verifier, 'buffer') as unknown as Buffer;
}

/** Whether `verifier` is the one whose hash the store kept (constant time in the hash). */
export function verifierMatches(stored: Uint8Array, verifier: string): boolean {
  return stored.byteLength === VERIFIER_HASH_BYTES && timingSafeEqual(stored, verifierHash(verifier));
}

/** Random bytes below this (4 x 62) map evenly onto the alphabet (`byte % 62`); the rest are skipped. */
const EVEN_BELOW = 248;
const CODES = Buffer.from(ALPHABET, 'latin1');

/**
 * Hands out verifiers: 22 characters each drawn evenly from the 62 by rejection sampling of
 * random bytes (22 x log2 62 = 131 bits), the bytes drawn a block at a time (one system call per
 * block, not per verifier). Several times cheaper than writing a 128-bit number in base62 by long
 * division, and a million rows a run draw one each.
 */
export class LinkVerifiers {
  private readonly bytes: Buffer;
  private at: number;
  private readonly out = Buffer.alloc(VERIFIER_LENGTH);

  constructor(perBlock = 1024) {
    this.bytes = Buffer.alloc(perBlock * 24);
    this.at = this.bytes.length;
  }

  /** A new verifier: 22 characters. */
  verifier(): string {
    for (let n = 0; n < VERIFIER_LENGTH;) {
      if (this.at === this.bytes.length) {
        randomFillSync(this.bytes);
        this.at = 0;
      }
      const byte = this.bytes[this.at++]!;
      if (byte < EVEN_BELOW) this.out[n++] = CODES[byte % 62]!;
    }
    return this.out.toString('latin1');
  }
}
