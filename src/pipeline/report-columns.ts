/**
 * Says how a run reads its roster's header: one log line with the header feeding each known
 * column and the columns passing through, and a warning for each passthrough column that looks
 * meant for a known one (an error under `strict_columns`). Returns what the manifest records.
 */
import type { Logger } from 'pino';
import { columnMapping, type ColumnPlan } from '../claims/column-plan.js';
import { findNearMisses, nearMissMessage } from '../claims/near-misses.js';
import { MeetingTokensError } from '../errors.js';
import type { RosterColumns } from '../output/manifest.js';

/** `announce: false` leaves out the mapping's info line (a `check` prints the mapping itself). */
export function reportColumns(plan: ColumnPlan, job: string, strict: boolean, log: Logger, announce = true): RosterColumns {
  const mapping = columnMapping(plan);
  const misses = findNearMisses(plan);
  if (strict && misses.length > 0) {
    const more =
      misses.length > 1
        ? ` (and ${misses.length - 1} more: ${misses
            .slice(1)
            .map((m) => `"${m.header}"`)
            .join(', ')})`
        : '';
    throw new MeetingTokensError('CONFIG_INVALID', `strict_columns: ${nearMissMessage(misses[0]!)}${more}`, {
      job,
      column: misses[0]!.header,
    });
  }
  const fed = Object.entries(mapping.columns).map(([column, header]) => `${column} <- "${header}"`);
  const through = mapping.passthrough.length > 0 ? mapping.passthrough.map((h) => `"${h}"`).join(', ') : 'none';
  if (announce) log.info({ job, ...mapping }, `roster columns: ${fed.join(', ')}; passed through: ${through}`);
  for (const miss of misses) log.warn({ job, column: miss.header, looksLike: miss.column }, nearMissMessage(miss));
  return mapping;
}
