/**
 * Roster bytes -> text. A chunk is decoded strictly (the WHATWG decoder with `fatal`, as fast as
 * Buffer#toString here); only a chunk that holds bytes which are not UTF-8 takes the slow path,
 * where each such byte becomes `NOT_UTF8` so that its row, and only its row, is rejected. A valid
 * U+FFFD in the roster is text like any other.
 */

/**
 * Stands for a byte that is not UTF-8: a lone surrogate, which decoding valid UTF-8 never
 * yields (surrogates encoded in UTF-8 are themselves invalid), so it cannot be roster text.
 */
export const NOT_UTF8 = '\uDFFF';

// ignoreBOM keeps a byte-order mark in the text, where the parser expects and skips it.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface DecodedText {
  text: string;
  /** False when some bytes were not UTF-8 (marked with `NOT_UTF8` in `text`). */
  valid: boolean;
}

export function decodeRoster(bytes: Uint8Array): DecodedText {
  try {
    return { text: strict.decode(bytes), valid: true };
  } catch {
    return { text: markInvalid(bytes), valid: false };
  }
}

function markInvalid(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = '';
  let from = 0;
  let i = 0;
  while (i < buffer.length) {
    if (buffer[i]! < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(buffer, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += buffer.toString('utf8', from, i) + NOT_UTF8;
    from = ++i;
  }
  return text + buffer.toString('utf8', from);
}

/** Length of the valid UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or values over U+10FFFF), or 0. */
export function sequenceLength(b: Buffer, i: number): number {
  const lead = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const ok = cont(1, lead === 0xe0 ? 0xa0 : 0x80, lead === 0xed ? 0x9f : 0xbf) && cont(2);
    return ok ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const ok = cont(1, lead === 0xf0 ? 0x90 : 0x80, lead === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3);
    return ok ? 4 : 0;
  }
  return 0;
}
