/**
 * Roster encodings. UTF-8 is read as it is (the hot path); any other encoding is transcoded to
 * UTF-8 in the stream, before the chunker and the parser: the single-byte code pages by
 * iconv-lite, UTF-16 by Buffer's own `utf16le` decoder. Not `TextDecoder`: Node 20.18.3 and later
 * decode windows-1252 as ISO-8859-1, so 0x80-0x9F (the euro sign, curly quotes, dashes, Š, Ž)
 * come out as control characters (https://github.com/nodejs/node/issues/60888). A byte-order
 * mark decides for UTF-8 and UTF-16 whatever was declared, as the WHATWG Encoding Standard does.
 */
import iconv from 'iconv-lite';
import { MeetingTokensError } from '../errors.js';

/**
 * What `encoding:` and `--encoding` accept. `latin1` and `iso-8859-1` are read as windows-1252,
 * as the Encoding Standard (and every browser) reads them: files so labelled nearly always are.
 */
export const ENCODINGS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'latin1',
  'iso-8859-1',
  'iso-8859-15',
  'windows-1250',
  'windows-1251',
] as const;

export type EncodingLabel = (typeof ENCODINGS)[number];

/** The encoding a roster is read in, by the decoder's own name (`latin1` is `windows-1252`). */
export type RosterEncoding = string;

/**
 * In the UTF-8 that a transcoder emits, a byte that is never UTF-8: it stands for input that
 * its encoding cannot decode (an unpaired UTF-16 surrogate, an odd last byte), so that the
 * row's reject names it as the parser's existing check for bytes that are not UTF-8 does.
 */
const UNDECODABLE = 0xff;

export interface RosterFormat {
  encoding: RosterEncoding;
  /** The file starts with a byte-order mark (which then decided the encoding). */
  bom: boolean;
}

/** The roster's encoding from its first bytes (a byte-order mark) and what was declared. */
export function sniffEncoding(first: Buffer, declared: EncodingLabel | undefined): RosterFormat & { skip: number } {
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) return { encoding: 'utf-8', bom: true, skip: 0 };
  if (first[0] === 0xff && first[1] === 0xfe) return { encoding: 'utf-16le', bom: true, skip: 2 };
  if (first[0] === 0xfe && first[1] === 0xff) return { encoding: 'utf-16be', bom: true, skip: 2 };
  return { encoding: canonicalEncoding(declared ?? 'utf-8'), bom: false, skip: 0 };
}

/** The decoder's name for a label (`latin1` -> `windows-1252`). */
export function canonicalEncoding(label: EncodingLabel): RosterEncoding {
  return label === 'latin1' || label === 'iso-8859-1' ? 'windows-1252' : label;
}

/** The first bytes of a file that is not text: a spreadsheet workbook. One line saying what to do, exit 2. */
export function refuseWorkbook(first: Buffer, path: string): void {
  const zip = first.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const ole = first.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  if (!zip && !ole) return;
  const what = zip ? '.xlsx, a ZIP file' : '.xls, Excel 97-2003';
  throw new MeetingTokensError('ROSTER_HEADER', `roster ${path}: this is an Excel workbook (${what}), not CSV text: save it as CSV UTF-8`, {
    file: path,
  });
}

/** Turns the roster's bytes, read in order, into UTF-8; `final` flushes what a last read left. */
export type Transcoder = (bytes: Buffer, final: boolean) => Buffer;

/** A transcoder to UTF-8, or undefined for UTF-8 itself (read as it is). */
export function createTranscoder(encoding: RosterEncoding): Transcoder | undefined {
  if (encoding === 'utf-8') return undefined;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return utf16Transcoder(encoding === 'utf-16be');
  // Single-byte code pages keep no state between reads. No byte of theirs means U+FFFD: it
  // stands for one they leave unassigned (0x81 in windows-1252), whose row is rejected.
  return (bytes) => {
    const text = iconv.decode(bytes, encoding);
    // Stryker disable next-line StringLiteral: text without U+FFFD is split into one part, unmarked; "" names UTF-8 too
    return text.includes('\uFFFD') ? markUndecodable(text, /\uFFFD/g) : Buffer.from(text, 'utf8');
  };
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function utf16Transcoder(bigEndian: boolean): Transcoder {
  let pending: Buffer = Buffer.alloc(0);
  return (bytes, final) => {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: concatenating nothing pending gives the same bytes
    const data = pending.length > 0 ? Buffer.concat([pending, bytes]) : bytes;
    let end = data.length & ~1;
    // A high surrogate as the last unit may pair with the first of the next read: keep it back.
    if (!final && end >= 2) {
      const last = bigEndian ? data.readUInt16BE(end - 2) : data.readUInt16LE(end - 2);
      // Stryker disable next-line ConditionalExpression: keeping back another unit too only decodes it with the next read
      if (last >= 0xd800 && last <= 0xdbff) end -= 2;
    }
    pending = final ? Buffer.alloc(0) : Buffer.from(data.subarray(end));
    const units = bigEndian ? Buffer.from(data.subarray(0, end)).swap16() : data.subarray(0, end);
    const text = units.toString('utf16le');
    // Stryker disable next-line StringLiteral: "" names UTF-8 too
    const out = SURROGATE.test(text) ? markUndecodable(text, LONE_SURROGATE) : Buffer.from(text, 'utf8');
    return final && data.length > end ? Buffer.concat([out, Buffer.of(UNDECODABLE)]) : out;
  };
}

/** UTF-8 of `text` with `UNDECODABLE` for each match of `what` (input its encoding cannot decode). */
function markUndecodable(text: string, what: RegExp): Buffer {
  // Stryker disable next-line StringLiteral: "" names UTF-8 too
  const parts = text.split(what).map((part) => Buffer.from(part, 'utf8'));
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.of(UNDECODABLE), part])));
}
