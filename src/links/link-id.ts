/**
 * Short-link ids: 128 random bits written in base62 (`0-9 A-Z a-z`), always 22 characters
 * (62^22 > 2^128), so an id can be cut out of a URL without a delimiter and never guessed.
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Characters of every id. */
export const LINK_ID_LENGTH = 22;
const ID_FORM = /^[0-9A-Za-z]{22}$/;

/** Hands out ids from random bytes drawn a block at a time (one system call per block, not per id). */
export class LinkIds {
  private readonly words: Uint32Array;
  private next: number;

  constructor(private readonly perBlock = 1024) {
    this.words = new Uint32Array(perBlock * 4);
    this.next = perBlock;
  }

  /** A new id. */
  id(): string {
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
  for (let i = 0; i < LINK_ID_LENGTH; i++) {
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

/** Whether `text` has the form of an id (a cheap refusal before any store is asked). */
export function isLinkId(text: string): boolean {
  return ID_FORM.test(text);
}
