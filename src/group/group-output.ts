/**
 * Where a grouped batch's recipients go: their lines into the tokens file, the rows over a
 * recipient's limit (or repeating a key a mailer keeps once) into the rejects file, each in
 * order and written in large blocks.
 */
import { csvRow } from '../output/csv-writer.js';
import { overReason, type GroupKeySpec } from './group-key.js';
import { GroupedLineWriter, groupedLayout, type GroupedLayout, type LineFormat, type OutputColumn } from './grouped-lines.js';
import type { GroupSink } from './recipient-grouper.js';

/** Bytes gathered before a write. */
const FLUSH_BYTES = 1 << 20;

export interface ByteSink {
  /** `rowEnds`: where each line ends in `data` (a file split into parts cuts only there). */
  write(data: string | Uint8Array, rowEnds?: Uint32Array): Promise<void>;
}

/** The columns of a grouped tokens file: numbered with group_by, as they are for a mailer's unique key. */
export function groupedFileLayout(key: GroupKeySpec, layout: { columns: readonly OutputColumn[] }): GroupedLayout {
  return groupedLayout(layout.columns, key.maxRows, key.uniqueFor === undefined);
}

/** A sink writing recipients' lines to `tokens` and over-limit rows to `rejects` (CSV, as the rejects file writes them). */
export function fileGroupSink(
  key: GroupKeySpec,
  layout: GroupedLayout,
  tokens: ByteSink,
  rejects: ByteSink,
  escapeFormulas: boolean,
  format: { format: LineFormat; lineEnding: string },
): GroupSink {
  const lines = new GroupedLineWriter(layout, format.format, format.lineEnding);
  let rejected = '';
  return {
    recipient(rows) {
      lines.write(rows);
      return lines.size >= FLUSH_BYTES ? tokens.write(...lines.take()) : undefined;
    },
    over(member, firstLine) {
      rejected += csvRow([String(member.line), overReason(key, member.key, firstLine), ...member.fields()], escapeFormulas);
      if (rejected.length < FLUSH_BYTES) return undefined;
      const text = rejected;
      rejected = '';
      return rejects.write(text);
    },
    async end() {
      if (lines.size > 0) await tokens.write(...lines.take());
      if (rejected.length > 0) await rejects.write(rejected);
      rejected = '';
    },
  };
}

/** For `check`: recipients counted, nothing written; each row over a limit handed to `reject` as a rejects-file line. */
export function checkGroupSink(key: GroupKeySpec, reject: (csvLine: string) => void): GroupSink {
  return {
    recipient: () => undefined,
    over(member, firstLine) {
      reject(csvRow([String(member.line), overReason(key, member.key, firstLine), ...member.fields()], false));
    },
  };
}
