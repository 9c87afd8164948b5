/** What processing one chunk gives back: its output bytes, counts and what the run's checks need. */
import type { NewLinks } from '../links/link-store.js';

/**
 * One chunk's result. The rejects are text where the chunk was processed and may arrive as
 * UTF-8 bytes from a worker thread (the default type: what the main thread receives).
 */
export interface ChunkResult<Rejects extends Uint8Array | string = Uint8Array | string> {
  /** Lines of the tokens file (CSV or JSONL), as UTF-8 bytes. */
  tokens: Uint8Array;
  /** With `rowEnds` in the spec: the offset in `tokens` where each token row ends; else empty. */
  rowEnds: Uint32Array;
  /** CSV lines of the rejects file. */
  rejects: Rejects;
  /** With `group` in the spec: the token rows as group records (group-record.ts), `tokens` empty; else empty. */
  groupRecords: Uint8Array;
  /**
   * For the duplicate check, one record per token row that has a user_id: `WORDS` words each,
   * [(room, user_id) hash high, hash low, line low, line high].
   */
  duplicateRecords: Uint32Array;
  /** Public rooms this chunk's tokens are for, each once (only when the run checks rooms). */
  publicRooms: string[];
  /** The records of this chunk's short links, in roster order (undefined without links). */
  links: NewLinks | undefined;
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
