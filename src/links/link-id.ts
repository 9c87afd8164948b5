/**
 * Short-link ids, split in two: a locator, then a verifier. The locator is the record's key in
 * base62 (`0-9 A-Z a-z`): `key = run seq * 2^32 + roster line`, so a run's records are appended
 * in key order and the store needs no index on a random value (the one that cost most of a run's
 * link writing: every commit rewrote pages all over it). The verifier is 128 random bits, always
 * 22 base62 characters (62^22 > 2^128): it makes the id unguessable. The store keeps only the
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

/** Hands out verifiers from random bytes drawn a block at a time (one system call per block, not per id). */
export class LinkVerifiers {
  private readonly words: Uint32Array;
  private next: number;

  constructor(private readonly perBlock = 1024) {
    this.words = new Uint32Array(perBlock * 4);
    this.next = perBlock;
  }

  /** A new verifier: 22 characters. */
  verifier(): string {
    if (this.next === this.perBlock) {
      randomFillSync(this.words);
      this.next = 0;
    }
    const at = this.next++ * 4;
    return encode128(this.words[at]!, this.words[at + 1]!, this.words[at + 2]!, this.words[at + 3]!);
  }
}

/** Four 32-bit words, most significant first, in base62 with leading zeros to 22 digits. */
export function encode128(w0: number, w1: number, w2: number, w3: number): string {
  let out = '';
  for (let i = 0; i < VERIFIER_LENGTH; i++) {
    // Long division of the 128-bit number by 62, 32 bits at a time: every partial stays below 2^38.
    let rest = w0 % 62;
    w0 = Math.floor(w0 / 62);
    let part = rest * 4294967296 + w1;
    w1 = Math.floor(part / 62);
    rest = part - w1 * 62;
    part = rest * 4294967296 + w2;
    w2 = Math.floor(part / 62);
    rest = part - w2 * 62;
    part = rest * 4294967296 + w3;
    w3 = Math.floor(part / 62);
    out = ALPHABET[part - w3 * 62]! + out;
  }
  return out;
}
