/**
 * Rejected rows grouped by reason, for `check`: how many rows each reason rejected and the first
 * lines it did, in memory that does not grow with the rejects. Reasons name the value at fault
 * (`room_name: "a b" ...`), so a roster can have nearly as many reasons as rows: the first
 * `TRACKED_GROUPS` distinct reasons are counted exactly, rows with a reason first seen after that
 * count as "other", and the summary shows the `SHOWN_GROUPS` largest groups, folding the rest into
 * "other" too.
 */
import { parseRecords } from '../roster/csv-parser.js';

/** Groups the summary names; the rest are "other". */
export const SHOWN_GROUPS = 20;
/** Distinct reasons counted exactly: about 1000 x (a reason's text + 5 numbers), well under 1 MB. */
export const TRACKED_GROUPS = 1000;
/** Lines kept per group: the first ones, in roster order. */
export const LINES_PER_GROUP = 5;
/** A reason can quote a long cell; the group key keeps its start. */
const MAX_REASON_CHARS = 300;

export interface RejectGroup {
  reason: string;
  rows: number;
  /** The first `LINES_PER_GROUP` lines (where each record starts in the roster), ascending. */
  lines: number[];
}

export interface RejectSummary {
  /** The largest groups, most rows first (ties: the earlier first line first). */
  groups: RejectGroup[];
  /** Every other rejected row, or null when the groups hold them all. */
  other: { rows: number; lines: number[] } | null;
}

const decoder = new TextDecoder();

export class RejectGroups {
  private readonly groups = new Map<string, RejectGroup>();
  private readonly overflow = { rows: 0, lines: [] as number[] };

  /** Adds the reject rows of one chunk: rejects CSV (`line`, `reason`, the row's fields), without formula escapes. */
  add(rejects: string | Uint8Array): void {
    if (rejects.length === 0) return;
    const text = typeof rejects === 'string' ? rejects : decoder.decode(rejects);
    for (const { fields } of parseRecords(text, 1)) this.addRow(Number(fields[0]), fields[1] ?? '');
  }

  addRow(line: number, reason: string): void {
    const key = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}...` : reason;
    let group = this.groups.get(key);
    if (group === undefined) {
      if (this.groups.size >= TRACKED_GROUPS) {
        this.overflow.rows++;
        if (this.overflow.lines.length < LINES_PER_GROUP) this.overflow.lines.push(line);
        return;
      }
      group = { reason: key, rows: 0, lines: [] };
      this.groups.set(key, group);
    }
    group.rows++;
    if (group.lines.length < LINES_PER_GROUP) group.lines.push(line);
  }

  summary(): RejectSummary {
    const sorted = [...this.groups.values()].sort((a, b) => b.rows - a.rows || a.lines[0]! - b.lines[0]!);
    const folded = sorted.slice(SHOWN_GROUPS);
    const otherRows = this.overflow.rows + folded.reduce((sum, g) => sum + g.rows, 0);
    const otherLines = [...this.overflow.lines, ...folded.flatMap((g) => g.lines)].sort((a, b) => a - b).slice(0, LINES_PER_GROUP);
    return {
      groups: sorted.slice(0, SHOWN_GROUPS).map((g) => ({ reason: g.reason, rows: g.rows, lines: g.lines })),
      other: otherRows > 0 ? { rows: otherRows, lines: otherLines } : null,
    };
  }
}
