/** Test helpers that write text in the encodings spreadsheets export, for fixtures and property tests. */
import iconv from 'iconv-lite';

/** `text` in a single-byte code page (windows-1252, windows-1250, ...); throws on a character it lacks. */
export function encodeSingleByte(text: string, encoding: string): Buffer {
  const bytes = iconv.encode(text, encoding);
  if (iconv.decode(bytes, encoding) !== text) throw new Error(`${encoding} cannot hold ${JSON.stringify(text)}`);
  return bytes;
}

/** `text` in UTF-16 (little or big endian), with or without a byte-order mark. */
export function encodeUtf16(text: string, bigEndian: boolean, bom = true): Buffer {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  return bigEndian ? le.swap16() : le;
}
