import type { BatchFile } from './batch-files.js';

/** One connection to a destination, for one try. */
export interface Session {
  /** Sends one file so that it appears under its final name whole or not at all. */
  put(file: BatchFile): Promise<void>;
  close(): Promise<void>;
}

/** Opens a session; secrets it read are named in `secrets` so that no message shows them. */
export type Connect = (secrets: string[]) => Promise<Session>;
