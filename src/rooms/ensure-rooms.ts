/**
 * `--ensure-rooms`: the rooms the roster's tokens are for that do not exist yet are created
 * before any row is signed, in `POST /batch/rooms` calls of at most 1,000 (Daily creates a call's
 * rooms all or none), private, with one `exp`: the batch's latest token's.
 *
 * A first pass over the roster finds them: it maps each row as the run will (no signing) and keeps
 * only the names of missing rooms and the latest `exp`, so memory grows with the rooms to create,
 * never with the rows, and the signing pass that follows counts every row once (rows read = tokens
 * + rejects). Rows the mapper rejects get no room. The signing pass checks each row's room again,
 * so a roster changed between the passes can never sign for a room that does not exist.
 */
import type { Logger } from 'pino';
import type { DailyClient } from '../daily/client.js';
import { BATCH_ROOMS_LIMIT } from '../daily/room-types.js';
import { MeetingTokensError, abortError } from '../errors.js';
import { openRoster } from '../roster/open-roster.js';
import type { ChunkOptions } from '../roster/chunker.js';
import { decodeRoster, NOT_UTF8 } from '../roster/utf8.js';
import { parseRecords, UnclosedQuote, type ParsedRecord } from '../roster/csv-parser.js';
import { Rejection } from '../claims/rejection.js';
import type { MappedRow } from '../claims/map-row.js';
import { isoSeconds } from '../output/columns.js';
import { plural } from '../plural.js';
import type { RoomIndex } from './room-index.js';

/** 100 calls of 1,000; a roster naming more missing rooms than this is more likely a wrong column. */
export const MAX_ROOMS_CREATED = 100_000;

export interface EnsureRoomsOptions {
  client: DailyClient;
  /** The domain's rooms; the created ones are added to it. */
  index: RoomIndex;
  rosterPath: string;
  /** The delimiter and encoding the job or flags declare, read as the signing pass reads them. */
  reading: Pick<ChunkOptions, 'delimiter' | 'encoding'>;
  /** The run's mapper (column plan and settings), as the signing pass will use it. */
  mapRow: (fields: readonly string[]) => MappedRow;
  width: number;
  /** False: ask Daily nothing, only add the missing rooms to the index as a run would create them. */
  create: boolean;
  job: string;
  log: Logger;
  signal?: AbortSignal | undefined;
}

/** Creates the missing rooms (or, without `create`, only indexes them); returns their names, in roster order. */
export async function ensureRooms(options: EnsureRoomsOptions): Promise<string[]> {
  const { client, index, log, job } = options;
  const { missing, latestExp } = await missingRooms(options);
  const names = [...missing];
  for (let from = 0; from < names.length; from += BATCH_ROOMS_LIMIT) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const batch = names.slice(from, from + BATCH_ROOMS_LIMIT);
    if (!options.create) {
      for (const room of batch) index.rooms.set(room, { public: false, exp: latestExp });
      continue;
    }
    await client.createRooms(batch.map((name) => ({ name, privacy: 'private', properties: { exp: latestExp } })));
    for (const room of batch) {
      index.rooms.set(room, { public: false, exp: latestExp });
      log.info(
        { job, room, exp: latestExp },
        `created room \`${room}\` on domain \`${index.domain}\` (private, exp ${isoSeconds(latestExp)})`,
      );
    }
  }
  return names;
}

async function missingRooms(options: EnsureRoomsOptions): Promise<{ missing: Set<string>; latestExp: number }> {
  const { index, mapRow, width, signal } = options;
  const missing = new Set<string>();
  let latestExp = 0;
  const roster = await openRoster(options.rosterPath, options.reading);
  try {
    for await (const chunk of roster.chunks) {
      if (signal?.aborted) throw abortError(signal);
      const { text, valid } = decodeRoster(chunk.bytes);
      let records: ParsedRecord[];
      try {
        records = parseRecords(text, chunk.firstLine, roster.format.delimiter.charCodeAt(0));
      } catch (error) {
        // The signing pass reports it, with the run's own message.
        if (error instanceof UnclosedQuote) break;
        throw error;
      }
      for (const { fields, stray } of records) {
        if (fields.length !== width || stray >= 0 || (!valid && fields.some((f) => f.includes(NOT_UTF8)))) continue;
        let mapped: MappedRow;
        try {
          mapped = mapRow(fields);
        } catch (error) {
          if (error instanceof Rejection) continue;
          throw error;
        }
        if (mapped.exp > latestExp) latestExp = mapped.exp;
        if (mapped.room !== '' && !index.rooms.has(mapped.room) && !missing.has(mapped.room)) {
          missing.add(mapped.room);
          if (missing.size > MAX_ROOMS_CREATED) {
            throw new MeetingTokensError(
              'CONFIG_INVALID',
              `--ensure-rooms: the roster names more than ${plural(MAX_ROOMS_CREATED, 'room')} that do not exist on domain \`${index.domain}\`; ` +
                'is the room column the right one? create them beforehand',
            );
          }
        }
      }
    }
  } finally {
    await roster.chunks.return(undefined);
  }
  return { missing, latestExp };
}
