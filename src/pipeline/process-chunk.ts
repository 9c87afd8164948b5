/**
 * One chunk of roster bytes -> the CSV text of its token rows and reject rows. Everything a
 * chunk needs travels in a `ChunkSpec` (plain data), so the same code runs on the main thread
 * or in a worker and gives the same bytes.
 */
import { parseRecords, UnclosedQuote, type ParsedRecord } from '../roster/csv-parser.js';
import { decodeRoster, NOT_UTF8 } from '../roster/utf8.js';
import { guessEncoding, notUtf8Hint } from '../roster/encoding-guess.js';
import type { ColumnPlan } from '../claims/column-plan.js';
import { createMapper, type MappedRow, type MapperSettings } from '../claims/map-row.js';
import { Rejection, reject } from '../claims/rejection.js';
import { checkRoom } from '../rooms/room-check.js';
import type { RoomIndex } from '../rooms/room-index.js';
import { createSigner, type Sign } from '../sign/signer.js';
import { isoSeconds, writeTokenRow } from '../output/columns.js';
import { csvRow } from '../output/csv-writer.js';
import { ByteWriter } from '../output/byte-writer.js';
import { MeetingTokensError } from '../errors.js';
import { WORDS, writeRecord } from '../duplicates/record-layout.js';
import { plural } from '../plural.js';
import { JOB_DEFAULTS } from '../config/job-defaults.js';

/** Daily advises keeping tokens under about 2048 characters (URLs and mail clients cut longer). */
export const MAX_TOKEN_LENGTH: number = JOB_DEFAULTS.max_token_length;

const NO_ROOMS: string[] = [];

/** What a chunk needs to become output; structured-clonable for worker threads. */
export interface ChunkSpec {
  plan: ColumnPlan;
  settings: MapperSettings;
  /** `https://<domain_name>.daily.co/`, or undefined for no join_url column. */
  joinBase: string | undefined;
  escapeFormulas: boolean;
  apiKey: string;
  /** Longest token signed, in characters (a job's max_token_length); default `MAX_TOKEN_LENGTH`. */
  maxTokenLength?: number | undefined;
  /** The domain's rooms, when the run checks them (`check_rooms`); undefined costs a row nothing. */
  rooms?: RoomIndex | undefined;
  /** The field delimiter's char code. */
  delimiter: number;
  /** The roster's encoding (`utf-8`, or the one transcoded from), for the reason of a row it cannot decode. */
  encoding: string;
}

export interface ChunkContext {
  plan: ColumnPlan;
  mapRow: (fields: readonly string[]) => MappedRow;
  sign: Sign;
  joinBase: string | undefined;
  escapeFormulas: boolean;
  maxTokenLength: number;
  rooms: RoomIndex | undefined;
  delimiter: number;
  encoding: string;
}

/**
 * One chunk's result. The rejects are text where the chunk was processed and may arrive as
 * UTF-8 bytes from a worker thread (the default type: what the main thread receives).
 */
export interface ChunkResult<Rejects extends Uint8Array | string = Uint8Array | string> {
  /** CSV lines of the tokens file, as UTF-8 bytes. */
  tokens: Uint8Array;
  /** CSV lines of the rejects file. */
  rejects: Rejects;
  /**
   * For the duplicate check, one record per token row that has a user_id: `WORDS` words each,
   * [(room, user_id) hash high, hash low, line low, line high].
   */
  duplicateRecords: Uint32Array;
  /** Public rooms this chunk's tokens are for, each once (only when the run checks rooms). */
  publicRooms: string[];
  read: number;
  written: number;
  rejected: number;
  expMin: number;
  expMax: number;
  /** Rows rejected for bytes their encoding cannot decode. */
  undecodable: number;
  /** For a UTF-8 roster with such rows: the encoding it most likely is (`windows-1252`), if any reads as words. */
  likelyEncoding: string | undefined;
}

export function createChunkContext(spec: ChunkSpec): ChunkContext {
  return {
    plan: spec.plan,
    mapRow: createMapper(spec.settings, spec.plan),
    sign: createSigner(spec.apiKey),
    joinBase: spec.joinBase,
    escapeFormulas: spec.escapeFormulas,
    maxTokenLength: spec.maxTokenLength ?? MAX_TOKEN_LENGTH,
    rooms: spec.rooms,
    delimiter: spec.delimiter,
    encoding: spec.encoding,
  };
}

/** Parses and processes one chunk cut by the chunker (`firstLine` = line of its first byte). */
export function processChunk(bytes: Uint8Array, firstLine: number, ctx: ChunkContext): ChunkResult<string> {
  const { text, valid } = decodeRoster(bytes);
  let records: ParsedRecord[];
  try {
    records = parseRecords(text, firstLine, ctx.delimiter);
  } catch (error) {
    if (!(error instanceof UnclosedQuote)) throw error;
    throw new MeetingTokensError(
      'ROSTER_PARSE',
      `roster line ${error.line}: a quoted field opened here is never closed; fix the file and run again`,
      {
        line: error.line,
      },
    );
  }
  if (valid) return processRecords(records, ctx);
  const guess = ctx.encoding === 'utf-8' ? guessEncoding(bytes) : undefined;
  const reason =
    ctx.encoding === 'utf-8'
      ? `bytes that are not UTF-8 (${notUtf8Hint(guess)})`
      : `bytes that are not valid ${ctx.encoding}; check the roster's encoding`;
  return { ...processRecords(records, ctx, reason), likelyEncoding: guess?.encoding };
}

/** `undecodable`: the reason for rows whose fields hold `NOT_UTF8` marks, when some may. */
export function processRecords(records: readonly ParsedRecord[], ctx: ChunkContext, undecodable?: string): ChunkResult<string> {
  const { plan, mapRow, sign, joinBase, escapeFormulas, maxTokenLength, rooms } = ctx;
  const publicRooms = rooms !== undefined ? new Set<string>() : undefined;
  const width = plan.headers.length;
  const tokens = new ByteWriter(records.length * 800 + 1024);
  let rejectsCsv = '';
  const duplicateRecords = new Uint32Array(records.length * WORDS);
  let keyed = 0;
  let written = 0;
  let rejected = 0;
  let undecodableRows = 0;
  let expMin = Infinity;
  let expMax = -Infinity;
  let lastExp = -1;
  let lastExpIso = '';

  for (const record of records) {
    const fields = record.fields;
    let reason: string | undefined;
    let mapped: MappedRow | undefined;
    let token = '';
    if (fields.length !== width) {
      reason = `expected ${plural(width, 'field')} as in the header, found ${fields.length}`;
    } else if (record.stray >= 0) {
      reason = `${plan.headers[record.stray]}: a stray quote; quote the whole field and double the quotes inside it`;
    } else if (undecodable !== undefined && hasNotUtf8(fields)) {
      reason = undecodable;
      undecodableRows++;
    } else {
      try {
        mapped = mapRow(fields);
        // An empty room is an all-rooms token (allow_all_rooms): no one room to check.
        if (rooms !== undefined && mapped.room !== '') {
          const check = checkRoom(rooms, mapped.room, mapped.exp);
          if (check.problem !== undefined) reject(check.problem);
          if (check.public) publicRooms!.add(mapped.room);
        }
        token = sign(mapped.claims);
        if (token.length > maxTokenLength) reason = tooLong(token.length, maxTokenLength);
      } catch (error) {
        if (!(error instanceof Rejection)) throw error;
        reason = error.message;
      }
    }

    if (reason !== undefined || mapped === undefined) {
      // A quote left open joins the following lines into one record: say so, it is the likely cause.
      if (record.endLine > record.line) reason += ` (the record runs over lines ${record.line}-${record.endLine}: is a quote left open?)`;
      const row = [String(record.line), reason ?? 'rejected', ...fields];
      // Short records are padded to the header's width; surplus fields are kept (ragged row).
      while (row.length < width + 2) row.push('');
      rejectsCsv += csvRow(row, escapeFormulas);
      rejected++;
      continue;
    }

    const { claims, room, nbf, exp } = mapped;
    if (exp !== lastExp) {
      lastExp = exp;
      lastExpIso = isoSeconds(exp);
    }
    if (exp < expMin) expMin = exp;
    if (exp > expMax) expMax = exp;
    writeTokenRow(tokens, plan, fields, room, claims, token, joinBase, nbf, lastExpIso, exp, escapeFormulas);
    written++;
    const userId = claims['ud'] as string | undefined;
    if (userId !== undefined && userId !== '') {
      writeRecord(duplicateRecords, keyed, room, userId, record.line);
      keyed++;
    }
  }
  return {
    tokens: tokens.bytes(),
    rejects: rejectsCsv,
    duplicateRecords: duplicateRecords.subarray(0, keyed * WORDS),
    publicRooms: publicRooms !== undefined ? [...publicRooms] : NO_ROOMS,
    read: records.length,
    written,
    rejected,
    expMin,
    expMax,
    undecodable: undecodableRows,
    likelyEncoding: undefined,
  };
}

function tooLong(length: number, max: number): string {
  const limit = max === MAX_TOKEN_LENGTH ? `Daily advises at most ${max}` : `max_token_length is ${max}`;
  return `token: ${length} characters, ${limit}; shorten user_name or the job's object properties`;
}

function hasNotUtf8(fields: readonly string[]): boolean {
  for (const field of fields) if (field.includes(NOT_UTF8)) return true;
  return false;
}
