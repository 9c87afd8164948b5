/** Column layout of the tokens and rejects files. */
import type { ColumnPlan } from '../roster/header.js';

export const TOKEN_COLUMNS = [
  'room_name',
  'user_name',
  'user_id',
  'is_owner',
  'token',
  'join_url',
  'not_before',
  'expires_at',
  'exp',
] as const;

export function tokensHeader(plan: ColumnPlan, withJoinUrl: boolean): string[] {
  return [...plan.passthrough.map((i) => plan.headers[i]!), ...TOKEN_COLUMNS.filter((c) => withJoinUrl || c !== 'join_url')];
}

export function rejectsHeader(headers: readonly string[]): string[] {
  return ['line', 'reason', ...headers];
}

/** 1767268800 -> "2026-01-01T12:00:00Z" (ISO 8601, UTC, whole seconds). */
export function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 19) + 'Z';
}
