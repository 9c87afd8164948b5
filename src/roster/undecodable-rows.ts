/**
 * Rows rejected because their bytes are not in the roster's encoding, counted over the run. A
 * roster read as UTF-8 without anyone saying so, where more than 1% of rows are such, was saved
 * in another encoding: publishing it would silently leave out everyone with an accented name, so
 * the run fails before publishing (exit 2), naming the encoding the rows most likely are in.
 */
import { MeetingTokensError } from '../errors.js';
import { plural } from '../plural.js';
import { guessFor, notUtf8Hint } from './encoding-guess.js';

/** Over this share of rows with bytes that are not UTF-8, an undeclared roster fails the run. */
export const MAX_UNDECODABLE_SHARE = 0.01;

export class UndecodableRows {
  rows = 0;
  private readonly guesses = new Map<string, number>();

  /** One chunk's count, and the encoding its rows most likely are in. */
  add(rows: number, likelyEncoding: string | undefined): void {
    this.rows += rows;
    if (likelyEncoding !== undefined) this.guesses.set(likelyEncoding, (this.guesses.get(likelyEncoding) ?? 0) + rows);
  }

  /** The encoding most rows with such bytes looked like, if any. */
  likelyEncoding(): string | undefined {
    let best: string | undefined;
    for (const [encoding, rows] of this.guesses) if (best === undefined || rows > this.guesses.get(best)!) best = encoding;
    return best;
  }

  /** Throws when an undeclared UTF-8 roster has too many rows that are not UTF-8. */
  check(read: number, path: string, encoding: string, declared: boolean): void {
    if (declared || encoding !== 'utf-8' || this.rows === 0 || this.rows / read <= MAX_UNDECODABLE_SHARE) return;
    const likely = this.likelyEncoding();
    const hint =
      notUtf8Hint(likely === undefined ? undefined : guessFor(likely)) +
      (likely === undefined ? '' : ` (in the job, or --encoding ${likely})`);
    throw new MeetingTokensError(
      'ROSTER_ENCODING',
      `roster ${path}: ${this.rows} of ${plural(read, 'row')} have bytes that are not UTF-8 (more than ${MAX_UNDECODABLE_SHARE * 100}%): ${hint}; nothing was published`,
      { file: path },
    );
  }
}
