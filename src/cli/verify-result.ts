/** `verify --json`: the counts and the bad lines as one object. */
import type { VerifyReport } from '../verify/verify-file.js';

/** Daily's answers to `--online`. */
export interface OnlineResult {
  sampled: number;
  accepted: number;
  refused: { line: number; reason: string }[];
  /** Accepted tokens whose properties Daily reads otherwise than they were signed: the properties, each with how. */
  differences: { line: number; properties: string[] }[];
}

export interface VerifyResultJson {
  file: string;
  ok: boolean;
  tokens: number;
  valid: number;
  bad_signatures: number;
  claim_mismatches: number;
  expired: number;
  not_yet_valid: number;
  /** The first bad lines (up to 20), each with what is wrong; never a token or a claim value. */
  bad_lines: { line: number; problem: string }[];
  online: OnlineResult | null;
}

export function verifyResultJson(file: string, report: VerifyReport, online: OnlineResult | undefined): VerifyResultJson {
  return {
    file,
    ok:
      report.badSignature === 0 &&
      report.mismatched === 0 &&
      (online === undefined || (online.accepted === online.sampled && online.differences.length === 0)),
    tokens: report.rows,
    valid: report.valid,
    bad_signatures: report.badSignature,
    claim_mismatches: report.mismatched,
    expired: report.expired,
    not_yet_valid: report.notYetValid,
    bad_lines: [
      ...report.badSignatureLines.map((line) => ({ line, problem: 'signature does not verify with this key' })),
      ...report.problems.map((text) => {
        const match = /^line (\d+): (.*)$/s.exec(text);
        return match ? { line: Number(match[1]), problem: match[2]! } : { line: 0, problem: text };
      }),
    ].sort((a, b) => a.line - b.line),
    online: online ?? null,
  };
}
