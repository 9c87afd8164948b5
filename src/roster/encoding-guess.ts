/**
 * Which encoding a roster that is not UTF-8 was most likely saved in, for the hint in its
 * rejects and errors ("looks like Windows-1252; set encoding: windows-1252"). The candidates are
 * the code pages spreadsheets write on Windows for Western, Central European and Cyrillic
 * locales; the bytes are decoded in each by iconv-lite (no tables here) and the candidate
 * whose words read most like words wins, ties in the order below (Windows-1252 first: by far the
 * most common).
 *
 * How a word is scored: under a Latin code page, a word that mixes plain ASCII letters with
 * letters decoded from high bytes ("Jürgen", "Łukasz") counts for it, one whose high bytes decode
 * to symbols ("³", "¿") against it; under Cyrillic, a word of Cyrillic letters alone counts for
 * it, one that mixes them with ASCII letters ("Jьrgen") against it. Characters that are valid
 * UTF-8 in a roster that is mostly UTF-8 count as a plain letter: only the other bytes are read. Windows-1250 wins only where
 * its letters are symbols in Windows-1252 ("Łukasz" is "£ukasz"): Czech "Dvořák" reads as
 * "Dvoøák" there, and such a roster gets the Windows-1252 hint (its tie).
 */
import iconv from 'iconv-lite';
import { sequenceLength } from './utf8.js';

interface Candidate {
  encoding: string;
  /** As people and Excel's menus name it. */
  title: string;
  cyrillic: boolean;
}

const CANDIDATES: readonly Candidate[] = [
  { encoding: 'windows-1252', title: 'Windows-1252', cyrillic: false },
  { encoding: 'windows-1250', title: 'Windows-1250', cyrillic: false },
  { encoding: 'windows-1251', title: 'Windows-1251', cyrillic: true },
];

/** A run of ASCII letters and characters beyond ASCII other than white space. */
const WORD = /(?:[A-Za-z]|[^\p{ASCII}\s])+/gu;
const ASCII_LETTER = /[A-Za-z]/;
const HIGH = /[^\p{ASCII}]/u;
const HIGH_NOT_LETTER = /[^\p{ASCII}\p{L}\p{M}]/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const NOT_CYRILLIC_LETTER = /[^\p{Script=Cyrillic}\p{M}]/u;

export interface EncodingGuess {
  /** The decoder's name, as `encoding:` takes it. */
  encoding: string;
  title: string;
}

/** The most likely encoding of `bytes`, which are not UTF-8; undefined when none reads as words. */
export function guessEncoding(bytes: Uint8Array): EncodingGuess | undefined {
  const others = withoutUtf8(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  let best: Candidate | undefined;
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const score = scoreText(iconv.decode(others, candidate.encoding), candidate.cyrillic);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best && { encoding: best.encoding, title: best.title };
}

/** `bytes` with each valid UTF-8 sequence beyond ASCII replaced by the letter `a`. */
function withoutUtf8(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  // Stryker disable next-line EqualityOperator: one step past the end writes nowhere (`out` has the input's length) and is cut off
  for (let i = 0; i < bytes.length;) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; sequenceLength is 0 for ASCII and for 0x80 too
    const length = bytes[i]! < 0x80 ? 0 : sequenceLength(bytes, i);
    out[n++] = length > 0 ? 0x61 : bytes[i]!;
    i += Math.max(length, 1);
  }
  return out.subarray(0, n);
}

function scoreText(text: string, cyrillic: boolean): number {
  let score = 0;
  for (const [word] of text.matchAll(WORD)) {
    // A lone symbol ("€ 5") or letter tells nothing; a word has two characters or more.
    if (word.length < 2 || !HIGH.test(word)) continue;
    if (cyrillic) {
      if (!CYRILLIC.test(word)) continue;
      score += NOT_CYRILLIC_LETTER.test(word) ? -1 : 1;
    } else if (HIGH_NOT_LETTER.test(word)) score--;
    else if (ASCII_LETTER.test(word)) score++;
  }
  return score;
}

/** The guess for an encoding by its name (`windows-1252`), as `guessEncoding` gives it. */
export function guessFor(encoding: string): EncodingGuess {
  return { encoding, title: CANDIDATES.find((c) => c.encoding === encoding)?.title ?? encoding };
}

/** The hint for rows or a header with bytes that are not UTF-8. */
export function notUtf8Hint(guess: EncodingGuess | undefined): string {
  return guess
    ? `looks like ${guess.title}; set encoding: ${guess.encoding}`
    : 'save the roster as UTF-8, or set encoding: to the one it was saved in';
}
