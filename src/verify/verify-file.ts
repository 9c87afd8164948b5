/**
 * Checks a published tokens file: every token's HS256 signature with jose and the key, and its
 * claims against the row it sits in. Independent of the signer's hot path on purpose.
 */
import { jwtVerify, decodeJwt, errors as joseErrors } from 'jose';
import { readCsv } from './read-csv.js';
import { readJsonl } from './read-jsonl.js';
import { MeetingTokensError } from '../errors.js';
import { isoSeconds } from '../output/columns.js';
import { escapeFormula } from '../output/csv-writer.js';

export interface VerifyReport {
  rows: number;
  valid: number;
  badSignature: number;
  mismatched: number;
  expired: number;
  notYetValid: number;
  /** First claim mismatches found, by line: never a token or a claim value. */
  problems: string[];
  /** Lines of the first tokens whose signature does not verify (a wrong key fails them all: summarised, not listed). */
  badSignatureLines: number[];
  /** A uniform random sample of good tokens (reservoir sampling), when asked for. */
  sample: { line: number; token: string; nbf: number | undefined }[];
}

const MAX_PROBLEMS = 20;
const REQUIRED = ['token', 'room_name', 'user_name', 'user_id', 'is_owner', 'exp'] as const;

export interface VerifyOptions {
  now?: Date | undefined;
  /** Expected `d` claim (from the manifest), when known. */
  domainId?: string | undefined;
  /** Size of the random sample of good tokens to keep (for online checks). */
  sampleSize?: number | undefined;
  random?: (() => number) | undefined;
  /**
   * The file's column names -> the source of each (the manifest's `output.columns`), for a file
   * written with other names or fewer columns than today's: then only the columns it has are
   * compared, and the token is read from `token` or else from the join link.
   */
  sources?: ReadonlyMap<string, string> | undefined;
}

export async function verifyTokensFile(path: string, apiKey: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const secret = new TextEncoder().encode(apiKey);
  const report: VerifyReport = {
    rows: 0,
    valid: 0,
    badSignature: 0,
    mismatched: 0,
    expired: 0,
    notYetValid: 0,
    problems: [],
    badSignatureLines: [],
    sample: [],
  };
  const sampleSize = options.sampleSize ?? 0;
  const random = options.random ?? Math.random;
  const problem = (line: number, text: string): void => {
    if (report.problems.length < MAX_PROBLEMS) report.problems.push(`line ${line}: ${text}`);
  };
  const jsonl = path.endsWith('.jsonl');
  const { batches } = jsonl ? readJsonl(path) : readCsv(path);
  const { sources } = options;
  let columns: Map<string, number> | undefined;

  for await (const batch of batches) {
    for (const entry of batch) {
      if (columns === undefined) {
        columns = new Map(entry.fields.map((name, i) => [sources?.get(name) ?? name, i]));
        const missing =
          sources === undefined
            ? REQUIRED.filter((c) => !columns!.has(c))
            : columns.has('token') || columns.has('join_url')
              ? []
              : ['token or join_url'];
        if (missing.length > 0) {
          throw new MeetingTokensError('VERIFY_FAILED', `${path} is not a tokens file: no ${missing.join(', ')} column`);
        }
        continue;
      }
      report.rows++;
      const cell = (name: string): string => entry.fields[columns!.get(name) ?? -1] ?? '';
      const token = columns.has('token') ? cell('token') : cell('join_url').slice(cell('join_url').indexOf('?t=') + 3);
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, secret, {
          algorithms: ['HS256'],
          typ: 'JWT',
          ...(options.now ? { currentDate: options.now } : {}),
        }));
      } catch (error) {
        // jose checks the signature before exp and nbf: these two mean the signature is good.
        if (error instanceof joseErrors.JWTExpired) {
          report.expired++;
          claims = decodeJwt(token);
        } else if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf') {
          report.notYetValid++;
          claims = decodeJwt(token);
        } else {
          report.badSignature++;
          if (report.badSignatureLines.length < MAX_PROBLEMS) report.badSignatureLines.push(entry.line);
          continue;
        }
      }
      const mismatches = compare(claims, cell, columns, options.domainId, token);
      if (mismatches.length > 0) {
        report.mismatched++;
        problem(entry.line, `token claims differ from the row: ${mismatches.join(', ')}`);
      } else {
        report.valid++;
        // Reservoir sampling (Algorithm R): every valid token has the same chance.
        const pick = { line: entry.line, token, nbf: typeof claims['nbf'] === 'number' ? claims['nbf'] : undefined };
        if (report.sample.length < sampleSize) report.sample.push(pick);
        else if (sampleSize > 0) {
          const j = Math.floor(random() * report.valid);
          if (j < sampleSize) report.sample[j] = pick;
        }
      }
    }
  }
  // An empty JSONL file is a batch of no tokens; a CSV file has its header line at least.
  if (columns === undefined && !jsonl) throw new MeetingTokensError('VERIFY_FAILED', `${path} is empty`);
  return report;
}

function sameCell(cell: string, value: unknown): boolean {
  const text = value === undefined ? '' : String(value);
  return cell === text || cell === escapeFormula(text);
}

function compare(
  claims: Record<string, unknown>,
  cell: (name: string) => string,
  columns: Map<string, number>,
  domainId: string | undefined,
  token: string,
): string[] {
  const out: string[] = [];
  const has = (name: string): boolean => columns.has(name);
  if (has('room_name') && !sameCell(cell('room_name'), claims['r'])) out.push('room_name');
  if (has('user_name') && !sameCell(cell('user_name'), claims['u'])) out.push('user_name');
  if (has('user_id') && !sameCell(cell('user_id'), claims['ud'])) out.push('user_id');
  if (has('is_owner') && cell('is_owner') !== (claims['o'] === true ? 'true' : 'false')) out.push('is_owner');
  if (typeof claims['exp'] !== 'number' || (has('exp') && cell('exp') !== String(claims['exp']))) out.push('exp');
  else if (has('expires_at') && cell('expires_at') !== isoSeconds(claims['exp'])) out.push('expires_at');
  if (domainId !== undefined && claims['d'] !== domainId) out.push('domain_id');
  if (columns.has('join_url') && claims['r'] !== undefined) {
    const url = cell('join_url');
    if (!url.endsWith(`/${String(claims['r'])}?t=${token}`)) out.push('join_url');
  }
  return out;
}
