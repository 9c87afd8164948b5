/**
 * The rooms stage of a run with `check_rooms`: the domain's rooms listed once, before any row is
 * signed, and with `ensure_rooms` the missing ones created. What it returns goes to every chunk
 * (the index) and into the manifest (the rooms created).
 */
import type { Logger } from 'pino';
import type { ChunkOptions } from '../roster/chunker.js';
import type { DailyClient } from '../daily/client.js';
import type { MappedRow } from '../claims/map-row.js';
import { plural } from '../plural.js';
import { listDomainRooms, type RoomIndex } from './room-index.js';
import { ensureRooms } from './ensure-rooms.js';

export interface RoomsStageOptions {
  client: DailyClient;
  /** How messages name the domain: its name, else its id. */
  domain: string;
  ensure: boolean;
  /** With `ensure`: create the missing rooms (a run), or only add them to the index as a run would (a check). */
  create: boolean;
  rosterPath: string;
  /** The delimiter and encoding the job or flags declare (undefined: detected, as the signing pass does). */
  reading: Pick<ChunkOptions, 'delimiter' | 'encoding'>;
  mapRow: (fields: readonly string[]) => MappedRow;
  /** Fields a roster record has (the header's). */
  width: number;
  job: string;
  log: Logger;
  signal?: AbortSignal | undefined;
}

export interface RoomsStage {
  index: RoomIndex;
  /** Rooms created by `ensure_rooms` (or, without `create`, that a run would create), in roster order. */
  created: string[];
}

export async function prepareRooms(options: RoomsStageOptions): Promise<RoomsStage> {
  const { client, domain, job, log } = options;
  const index = await listDomainRooms(client, domain);
  log.info({ job, domain, rooms: index.rooms.size }, `listed ${plural(index.rooms.size, 'room')} of domain \`${domain}\` at Daily`);
  if (index.rooms.size < index.totalCount) {
    // Pages run newest first from a cursor: a room created during the listing is not on them.
    // Its rows are rejected as missing (never signed for a room not seen), so the run goes on.
    log.warn(
      { job, domain, listed: index.rooms.size, totalCount: index.totalCount },
      `Daily counts ${plural(index.totalCount, 'room')} on domain \`${domain}\`, ${index.rooms.size} listed: rooms created during the listing are not checked against, and rows for them are rejected`,
    );
  }
  const created = options.ensure ? await ensureRooms({ ...options, index }) : [];
  if (options.ensure) {
    const did = options.create ? 'created' : 'a run would create';
    log.info({ job, domain, created: created.length }, `${did} ${plural(created.length, 'missing room')}`);
  }
  return { index, created };
}
