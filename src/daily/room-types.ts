/** What Daily's room endpoints take and answer, as far as this tool uses them. */

/** A room as `GET /rooms` lists it: `config` holds only what differs from the defaults (`exp` when set). */
export interface ListedRoom {
  id: string;
  name: string;
  privacy: string;
  config?: { exp?: unknown } | undefined;
}

/** One page of `GET /rooms`: newest room first, at most `ROOMS_PAGE_LIMIT`. */
export interface RoomsPage {
  totalCount: number;
  rooms: ListedRoom[];
}

/** Daily: each call to `GET /rooms` returns at most 100 rooms. */
export const ROOMS_PAGE_LIMIT = 100;
/** Daily: at most 1,000 rooms per `POST /batch/rooms`. */
export const BATCH_ROOMS_LIMIT = 1000;

/** A room for `POST /batch/rooms`. */
export interface NewRoom {
  name: string;
  privacy: 'private';
  properties: { exp: number };
}
