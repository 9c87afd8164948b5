/**
 * One batch of roster entries -> the CSV text of its token rows and reject rows. Pure apart from
 * the HMAC: this is the unit of work the pipeline hands out, in roster order.
 */
import { stringify } from 'csv-stringify/sync';
import type { ColumnPlan } from '../roster/header.js';
import type { RosterRecord } from '../roster/read-roster.js';
import type { MappedRow } from '../claims/map-row.js';
import { Rejection } from '../claims/rejection.js';
import type { Sign } from '../sign/signer.js';
import { isoSeconds } from '../output/columns.js';

/** Daily advises keeping tokens under about 2048 characters (URLs and mail clients cut longer). */
export const MAX_TOKEN_LENGTH = 2048;

export interface BatchContext {
  plan: ColumnPlan;
  mapRow: (fields: readonly string[]) => MappedRow;
  sign: Sign;
  /** `https://<domain_name>.daily.co/`, or undefined for no join_url column. */
  joinBase: string | undefined;
  escapeFormulas: boolean;
}

export interface BatchResult {
  tokensCsv: string;
  rejectsCsv: string;
  read: number;
  written: number;
  rejected: number;
  expMin: number;
  expMax: number;
}

export function processBatch(entries: readonly RosterRecord[], ctx: BatchContext): BatchResult {
  const { plan, mapRow, sign, joinBase } = ctx;
  const width = plan.headers.length;
  const tokenRows: string[][] = [];
  const rejectRows: string[][] = [];
  let expMin = Infinity;
  let expMax = -Infinity;
  let lastExp = -1;
  let lastExpIso = '';

  for (const entry of entries) {
    const fields = entry.fields;
    let reason: string | undefined;
    let mapped: MappedRow | undefined;
    let token = '';
    if (fields.length !== width) {
      reason = `expected ${width} fields as in the header, found ${fields.length}`;
    } else if (hasReplacementChar(fields)) {
      reason = 'bytes that are not UTF-8; save the roster as UTF-8';
    } else {
      try {
        mapped = mapRow(fields);
        token = sign(mapped.claims);
        if (token.length > MAX_TOKEN_LENGTH) {
          reason = `token: ${token.length} characters, Daily advises at most ${MAX_TOKEN_LENGTH}; shorten user_name or the job's object properties`;
        }
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        reason = error.message;
      }
    }
    if (reason !== undefined || mapped === undefined) {
      // A quote left open joins the following lines into one record: say so, it is the likely cause.
      if (entry.endLine > entry.line) reason += ` (the record runs over lines ${entry.line}-${entry.endLine}: is a quote left open?)`;
      const row = [String(entry.line), reason ?? 'rejected', ...fields];
      // Short records are padded to the header's width; surplus fields are kept (ragged row).
      while (row.length < width + 2) row.push('');
      rejectRows.push(row);
      continue;
    }

    const { claims, room, nbf, exp } = mapped;
    if (exp !== lastExp) {
      lastExp = exp;
      lastExpIso = isoSeconds(exp);
    }
    if (exp < expMin) expMin = exp;
    if (exp > expMax) expMax = exp;
    const row: string[] = [];
    for (const i of plan.passthrough) row.push(fields[i]!);
    row.push(
      room,
      (claims['u'] as string | undefined) ?? '',
      (claims['ud'] as string | undefined) ?? '',
      claims['o'] === true ? 'true' : 'false',
      token,
    );
    if (joinBase !== undefined) row.push(room === '' ? '' : `${joinBase}${room}?t=${token}`);
    row.push(nbf === undefined ? '' : isoSeconds(nbf), lastExpIso, String(exp));
    tokenRows.push(row);
  }

  const options = { escape_formulas: ctx.escapeFormulas };
  return {
    tokensCsv: tokenRows.length > 0 ? stringify(tokenRows, options) : '',
    rejectsCsv: rejectRows.length > 0 ? stringify(rejectRows, options) : '',
    read: entries.length,
    written: tokenRows.length,
    rejected: rejectRows.length,
    expMin,
    expMax,
  };
}

function hasReplacementChar(fields: readonly string[]): boolean {
  for (const field of fields) if (field.indexOf('\uFFFD') !== -1) return true;
  return false;
}
