/**
 * The domain's rooms, listed once per run before any row is signed: `GET /rooms`, page after
 * page (newest first, 100 a page, each next page `starting_after` the last room of the one
 * before), kept in memory as name -> what a token for it must respect. A domain has at most tens
 * of thousands of rooms: a few MB, and one Map lookup a row.
 */
import type { DailyClient } from '../daily/client.js';
import { ROOMS_PAGE_LIMIT, type ListedRoom } from '../daily/room-types.js';
import { MeetingTokensError } from '../errors.js';

/** What a token for one room must respect. */
export interface RoomFacts {
  /** `public`: anyone with the link joins, and a token only adds properties. */
  public: boolean;
  /** The room's own `exp` (unix seconds): joins after it fail whatever the token says. */
  exp: number | undefined;
}

/** The domain's rooms by name; plain data, so it travels to worker threads. */
export interface RoomIndex {
  /** How messages name the domain: its name (`acme`), else its id. */
  domain: string;
  rooms: Map<string, RoomFacts>;
  /** What Daily's last page counted (`total_count`); more than listed when rooms were created meanwhile. */
  totalCount: number;
}

/** Lists every room of the domain through `client` (which keeps to Daily's rate limit and retries 429s). */
export async function listDomainRooms(client: DailyClient, domain: string): Promise<RoomIndex> {
  const rooms = new Map<string, RoomFacts>();
  let after: string | undefined;
  let totalCount = 0;
  for (;;) {
    const page = await client.listRoomsPage(after);
    totalCount = page.totalCount;
    for (const room of page.rooms) rooms.set(room.name, factsOf(room));
    const last = page.rooms[page.rooms.length - 1];
    // A short or empty page is the last; so is one that reaches total_count.
    if (last === undefined || page.rooms.length < ROOMS_PAGE_LIMIT || rooms.size >= totalCount) break;
    if (last.id === after) {
      throw new MeetingTokensError('DAILY_BAD_ANSWER', `Daily API: GET /rooms answered the same page twice (after room ${last.name})`);
    }
    after = last.id;
  }
  return { domain, rooms, totalCount };
}

function factsOf(room: ListedRoom): RoomFacts {
  const exp = room.config?.exp;
  return { public: room.privacy === 'public', exp: typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined };
}
