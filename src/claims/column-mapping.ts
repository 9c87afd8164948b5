/**
 * A column plan as people and manifests read it: which header feeds which known column, and
 * which headers pass through to the output unchanged.
 */
import type { ColumnPlan } from './column-plan.js';

export interface ColumnMapping {
  /** Known column (room_name, user_name, a Daily property's long name, ...) -> the roster header feeding it, in roster order. */
  columns: Record<string, string>;
  /** Headers copied to the output as they are, in roster order. */
  passthrough: string[];
}

export function columnMapping(plan: ColumnPlan): ColumnMapping {
  const known: [string, number][] = [
    ['room_name', plan.room],
    ['not_before', plan.notBefore],
    ['expires_at', plan.expiresAt],
    ...plan.properties,
  ];
  const columns: Record<string, string> = {};
  for (const [name, index] of known.filter(([, i]) => i >= 0).sort((a, b) => a[1] - b[1])) columns[name] = plan.headers[index]!;
  return { columns, passthrough: plan.passthrough.map((index) => plan.headers[index]!) };
}
