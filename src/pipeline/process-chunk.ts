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
import { buildLayout, type OutputLayout } from '../output/layout.js';
import { cellsProblem, rowCells, writeLine } from '../output/row-cells.js';
import { MeetingTokensError } from '../errors.js';
import { WORDS, writeRecord } from '../duplicates/record-layout.js';
import { plural } from '../plural.js';
import type { ChunkResult } from './chunk-result.js';

export type { ChunkResult } from './chunk-result.js';
import { JOB_DEFAULTS } from '../config/job-defaults.js';
import { pairHash } from '../duplicates/pair-hash.js';
import { GroupRecordWriter } from '../group/group-record.js';
import { emptyKeyReason, rowKey, type GroupKeySpec } from '../group/group-key.js';
import { cellWriters, joinUrlTail } from '../group/grouped-lines.js';
import { PLAIN_SOURCES, type SignedRow } from '../output/sources.js';
import { LinkVerifiers } from '../links/link-id.js';
import { ChunkLinks } from '../links/chunk-links.js';

/** Daily advises keeping tokens under about 2048 characters (URLs and mail clients cut longer). */
export const MAX_TOKEN_LENGTH: number = JOB_DEFAULTS.max_token_length;

const NO_ROOMS: string[] = [];
const NO_BYTES = new Uint8Array(0);

/** Short links of a run with `links:`: every token row gets an id, a `short_url` and a record. */
export interface LinksSpec {
  /** `<base_url>/j/`: a row's short_url is this and its id. */
  urlPrefix: string;
  /** The run's seq in the link store: the high part of its links' keys (link-id.ts). */
  runSeq: number;
  /** Keep each signed token in its record (`mint: stored`). */
  storeTokens: boolean;
}

/** What a chunk needs to become output; structured-clonable for worker threads. */
export interface ChunkSpec {
  plan: ColumnPlan;
  settings: MapperSettings;
  /** `https://<domain_name>.daily.co/`, or undefined for no join_url column. */
  joinBase: string | undefined;
  /** How the rejects file escapes formulas (the tokens file's own rule is the layout's). */
  escapeFormulas: boolean;
  /** The tokens file's columns and how it is written; undefined writes today's file (generic CSV). */
  layout?: OutputLayout | undefined;
  /** Record where each token row ends in `tokens` (`rowEnds`), for a run that splits its file into parts. */
  rowEnds?: boolean | undefined;
  apiKey: string;
  /** Longest token signed, in characters (a job's max_token_length); default `MAX_TOKEN_LENGTH`. */
  maxTokenLength?: number | undefined;
  /** The domain's rooms, when the run checks them (`check_rooms`); undefined costs a row nothing. */
  rooms?: RoomIndex | undefined;
  /** The field delimiter's char code. */
  delimiter: number;
  /** The roster's encoding (`utf-8`, or the one transcoded from), for the reason of a row it cannot decode. */
  encoding: string;
  /** Rows are keyed by recipient and become group records (group-record.ts) instead of lines. */
  group?: GroupKeySpec | undefined;
  /** Short links, when the run makes them; undefined costs a row nothing. */
  links?: LinksSpec | undefined;
}

export interface ChunkContext {
  plan: ColumnPlan;
  mapRow: (fields: readonly string[]) => MappedRow;
  sign: Sign;
  joinBase: string | undefined;
  escapeFormulas: boolean;
  layout: OutputLayout;
  /** The layout's column names, once. */
  names: readonly string[];
  /** For each layout column: its source's values never need quoting or escaping (PLAIN_SOURCES). */
  plainCells: readonly boolean[];
  rowEnds: boolean;
  maxTokenLength: number;
  rooms: RoomIndex | undefined;
  delimiter: number;
  encoding: string;
  group: GroupKeySpec | undefined;
  /** With `group`: how each layout column's cells are written into group records. */
  cellWriters: ((value: string) => string)[];
  links: LinksSpec | undefined;
  linkVerifiers: LinkVerifiers | undefined;
}

export function createChunkContext(spec: ChunkSpec): ChunkContext {
  const layout =
    spec.layout ??
    buildLayout({
      profile: 'generic',
      format: 'csv',
      columns: undefined,
      escapeFormulas: spec.escapeFormulas,
      plan: spec.plan,
      joinBase: spec.joinBase,
    });
  return {
    plan: spec.plan,
    mapRow: createMapper(spec.settings, spec.plan),
    sign: createSigner(spec.apiKey),
    joinBase: spec.joinBase,
    escapeFormulas: spec.escapeFormulas,
    layout,
    names: layout.columns.map((column) => column.name),
    plainCells: layout.columns.map((column) => PLAIN_SOURCES.has(column.source)),
    rowEnds: spec.rowEnds === true,
    maxTokenLength: spec.maxTokenLength ?? MAX_TOKEN_LENGTH,
    rooms: spec.rooms,
    delimiter: spec.delimiter,
    encoding: spec.encoding,
    group: spec.group,
    cellWriters: cellWriters(layout.format, layout.escapeFormulas, layout.columns),
    links: spec.links,
    linkVerifiers: spec.links !== undefined ? new LinkVerifiers() : undefined,
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
  const {
    plan,
    mapRow,
    sign,
    joinBase,
    escapeFormulas,
    maxTokenLength,
    rooms,
    layout,
    names,
    group,
    links: linksSpec,
    linkVerifiers,
  } = ctx;
  // A grouped batch writes cells, never lines: the row writer's fast path does not apply.
  const plain = layout.plain && group === undefined;
  const groupRecords =
    group !== undefined ? new GroupRecordWriter(records.length * 1024 + 1024, joinUrlTail(layout.format, layout.columns)) : undefined;
  const hash = new Uint32Array(2);
  let key = '';
  let groupCells: string[] = [];
  const publicRooms = rooms !== undefined ? new Set<string>() : undefined;
  const links = linksSpec !== undefined ? new ChunkLinks(linksSpec) : undefined;
  const width = plan.headers.length;
  const tokens = new ByteWriter(group !== undefined ? 1024 : records.length * 800 + 1024);
  let rejectsCsv = '';
  const duplicateRecords = new Uint32Array(records.length * WORDS);
  const withEnds = ctx.rowEnds;
  const rowEnds = new Uint32Array(withEnds ? records.length : 0);
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
    let lineCells: string[] | undefined;
    let verifier = '';
    let claimsJson: string | undefined;
    let shortUrl: string | undefined;
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
        if (group !== undefined) {
          key = rowKey(group, fields, mapped.room, mapped.claims);
          if (key === '' && group.uniqueFor === undefined) reject(emptyKeyReason(group));
        }
        // With links, the claims' JSON is kept for the link's record: stringified once, not twice.
        if (links !== undefined) claimsJson = JSON.stringify(mapped.claims);
        token = sign(mapped.claims, claimsJson);
        if (token.length > maxTokenLength) reason = tooLong(token.length, maxTokenLength);
        else if (linksSpec !== undefined) {
          // An all-rooms token (empty room) leads to no one room: no link, as it has no join_url.
          if (mapped.room !== '') verifier = linkVerifiers!.verifier();
          shortUrl = verifier === '' ? '' : links!.url(record.line, verifier);
        }
        if (reason === undefined && !plain) {
          const cells = layoutCells(ctx, fields, mapped, token, record.line, shortUrl);
          if (group === undefined) lineCells = cells;
          else {
            groupCells = new Array<string>(cells.length);
            for (let i = 0; i < cells.length; i++) groupCells[i] = ctx.cellWriters[i]!(cells[i]!);
          }
        }
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
    if (groupRecords !== undefined) {
      pairHash('', key, hash, 0);
      groupRecords.add(hash, record.line, key, groupCells, fields, exp);
    } else if (plain)
      writeTokenRow(tokens, plan, fields, room, claims, token, joinBase, nbf, lastExpIso, exp, layout.escapeFormulas, shortUrl);
    else writeLine(tokens, layout, names, lineCells!, ctx.plainCells);
    if (withEnds) rowEnds[written] = tokens.size;
    written++;
    const userId = claims['ud'] as string | undefined;
    if (verifier !== '') links!.add(record.line, verifier, room, claims, nbf ?? null, exp, userId || null, token, claimsJson);
    if (userId !== undefined && userId !== '') {
      writeRecord(duplicateRecords, keyed, room, userId, record.line);
      keyed++;
    }
  }
  return {
    tokens: tokens.bytes(),
    rowEnds: rowEnds.subarray(0, written),
    rejects: rejectsCsv,
    groupRecords: groupRecords?.bytes() ?? NO_BYTES,
    duplicateRecords: duplicateRecords.subarray(0, keyed * WORDS),
    publicRooms: publicRooms !== undefined ? [...publicRooms] : NO_ROOMS,
    links: links?.take(),
    read: records.length,
    written,
    rejected,
    expMin,
    expMax,
    undecodable: undecodableRows,
    likelyEncoding: undefined,
  };
}

let layoutExp = -1;
let layoutExpIso = '';

/**
 * A signed row's line in the layout's file; throws a Rejection naming the first cell over the
 * profile's limit. Apart from the loop so that today's file's loop stays as small as it was.
 */
function layoutCells(
  ctx: ChunkContext,
  fields: readonly string[],
  mapped: MappedRow,
  token: string,
  line: number,
  shortUrl: string | undefined,
): string[] {
  if (mapped.exp !== layoutExp) {
    layoutExp = mapped.exp;
    layoutExpIso = isoSeconds(mapped.exp);
  }
  const { layout, names } = ctx;
  // Built field by field: spreading `mapped` into a new object cost a grouped run a third of its time.
  const signed: SignedRow = {
    fields,
    room: mapped.room,
    claims: mapped.claims,
    token,
    joinBase: ctx.joinBase,
    nbf: mapped.nbf,
    exp: mapped.exp,
    expIso: layoutExpIso,
    line,
    shortUrl,
  };
  const cells = rowCells(layout, signed);
  const problem = cellsProblem(layout, names, cells);
  if (problem !== null) reject(problem);
  return cells;
}

function tooLong(length: number, max: number): string {
  const limit = max === MAX_TOKEN_LENGTH ? `Daily advises at most ${max}` : `max_token_length is ${max}`;
  return `token: ${length} characters, ${limit}; shorten user_name or the job's object properties`;
}

function hasNotUtf8(fields: readonly string[]): boolean {
  for (const field of fields) if (field.includes(NOT_UTF8)) return true;
  return false;
}
