/** `check`'s report, as lines people read and as the JSON object scripts read (`--json`). */
import type { CheckReport } from '../pipeline/check-batch.js';
import { isoSeconds } from '../output/columns.js';
import { plural } from '../plural.js';

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** The report for people: mapping, counts, rejects by reason, repeated pairs, exp range, verdict. */
export function checkReportText(r: CheckReport): string {
  const { config, roster, counts } = r;
  const lines: string[] = [];
  lines.push(`job: ${config.jobFile !== undefined ? `${config.job} (${config.jobFile})` : `${config.job} (no job file)`}`);
  const delimiter = DELIMITER_NAMES[roster.delimiter] ?? JSON.stringify(roster.delimiter);
  lines.push(`roster: ${roster.path} (${plural(roster.bytes, 'byte')}), delimiter ${delimiter}, encoding ${roster.encoding}`);
  const mapped = Object.entries(roster.columns).map(([column, header]) => `${column} <- ${JSON.stringify(header)}`);
  lines.push(`columns: ${mapped.join(', ')}`);
  lines.push(`passthrough: ${roster.passthrough.length > 0 ? roster.passthrough.map((h) => JSON.stringify(h)).join(', ') : 'none'}`);
  lines.push(
    r.placeholderDomain
      ? 'domain id: none in the job or flags; checked with a placeholder (a run looks it up at Daily, or give --domain-id)'
      : `domain id: ${r.domainId}`,
  );
  lines.push(`output directory: ${config.outDir !== undefined ? `${config.outDir} (usable; nothing written)` : 'not given (not checked)'}`);
  if (r.rooms) lines.push(roomsText(r.rooms, r.domainId, config.domainName));
  lines.push(`rows read: ${counts.read}`);
  lines.push(`would get tokens: ${counts.written}`);
  const share =
    counts.read > 0 ? ` (${((counts.rejected / counts.read) * 100).toFixed(1)}%; max_reject_ratio ${config.maxRejectRatio})` : '';
  lines.push(`rejected: ${counts.rejected}${share}`);
  for (const g of r.rejects.groups) lines.push(`  ${g.rows}  ${g.reason} (${linesText(g.lines, g.rows)})`);
  const other = r.rejects.other;
  if (other) lines.push(`  ${other.rows}  other reasons (${linesText(other.lines, other.rows)})`);
  const d = r.duplicates;
  if (d.rows > 0) {
    const where = d.first.map((f) => `line ${f.line} repeats line ${f.same_as_line}`).join(', ');
    lines.push(
      `repeated (room, user_id): ${plural(d.rows, 'row')} (${plural(d.pairs, 'pair')}): ${where}${d.rows > d.first.length ? ', ...' : ''}`,
    );
  } else {
    lines.push('repeated (room, user_id): none');
  }
  lines.push(counts.written > 0 ? `exp: ${isoSeconds(counts.expMin)} to ${isoSeconds(counts.expMax)}` : 'exp: no tokens');
  lines.push(
    r.problem
      ? `would fail: ${r.problem.message}`
      : `ok: a run would sign ${plural(counts.written, 'token')} and reject ${plural(counts.rejected, 'row')}`,
  );
  return lines.join('\n') + '\n';
}

function roomsText(rooms: NonNullable<CheckReport['rooms']>, domainId: string, domainName: string | undefined): string {
  const names = (list: string[]): string => list.map((room) => `\`${room}\``).join(', ');
  const parts = [`rooms: ${plural(rooms.listed, 'room')} listed on domain \`${domainName ?? domainId}\``];
  if (rooms.wouldCreate.length > 0) parts.push(`a run would create ${rooms.wouldCreate.length}: ${names(rooms.wouldCreate)}`);
  parts.push(rooms.public.length > 0 ? `public (anyone with the link joins): ${names(rooms.public)}` : 'none public');
  return parts.join('; ');
}

function linesText(lines: number[], rows: number): string {
  return `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}${rows > lines.length ? ', ...' : ''}`;
}

/** The fields README's "Results for scripts" documents. */
export interface CheckResultJson {
  ok: boolean;
  exit_code: number;
  job: string;
  job_file: string | null;
  roster: { path: string; bytes: number; delimiter: string; encoding: string; columns: Record<string, string>; passthrough: string[] };
  domain_id: string;
  domain_id_placeholder: boolean;
  out: string | null;
  issued_at: string;
  rows_read: number;
  would_get_tokens: number;
  rows_rejected: number;
  max_reject_ratio: number;
  rejects: { reason: string; rows: number; lines: number[] }[];
  other_rejects: { rows: number; lines: number[] } | null;
  duplicates: CheckReport['duplicates'];
  /** With check_rooms: rooms listed at Daily, those a run would create (ensure_rooms), public ones; else null. */
  rooms: { listed: number; would_create: string[]; public: string[] } | null;
  exp_min: string | null;
  exp_max: string | null;
  warnings: string[];
  error: { code: string; message: string } | null;
}

export function checkResultJson(r: CheckReport, warnings: string[]): CheckResultJson {
  const { config, counts } = r;
  return {
    ok: r.exitCode === 0,
    exit_code: r.exitCode,
    job: config.job,
    job_file: config.jobFile ?? null,
    roster: r.roster,
    domain_id: r.domainId,
    domain_id_placeholder: r.placeholderDomain,
    out: config.outDir ?? null,
    issued_at: isoSeconds(r.iat),
    rows_read: counts.read,
    would_get_tokens: counts.written,
    rows_rejected: counts.rejected,
    max_reject_ratio: config.maxRejectRatio,
    rejects: r.rejects.groups,
    other_rejects: r.rejects.other,
    duplicates: r.duplicates,
    rooms: r.rooms && { listed: r.rooms.listed, would_create: r.rooms.wouldCreate, public: r.rooms.public },
    exp_min: counts.written > 0 ? isoSeconds(counts.expMin) : null,
    exp_max: counts.written > 0 ? isoSeconds(counts.expMax) : null,
    warnings,
    error: r.problem,
  };
}
