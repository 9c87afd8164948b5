/**
 * The tokens file as it is staged: one file, or with `split` numbered parts, each starting with
 * the file's head (BOM, CSV header) and holding at most `rows` rows and `bytes` bytes. A part is
 * cut only between rows. Every part is staged under a temporary name and published only when the
 * batch is (publication.ts), so a consumer never sees a part of a batch that failed.
 */
import { MeetingTokensError } from '../errors.js';
import type { DirHandle } from './dir-handle.js';
import { StagedFile, type PublishedFile } from './staged-file.js';

/** At most this many parts: the part number's six digits keep names sorting as numbers. */
export const MAX_PARTS = 999_999;

export interface SplitLimits {
  rows?: number | undefined;
  bytes?: number | undefined;
}

export class TokenParts {
  private readonly parts: StagedFile[] = [];
  private rows = 0;
  private size = 0;
  private total = 0;
  private readonly head: Buffer;

  private constructor(
    private readonly dir: DirHandle,
    /** The final name of part `n` (1-based); of the one file when not split. */
    private readonly name: (part: number) => string,
    head: string,
    private readonly split: SplitLimits | undefined,
  ) {
    this.head = Buffer.from(head, 'utf8');
  }

  /** Stages the first (or only) file and writes its head. */
  static async open(dir: DirHandle, name: (part: number) => string, head: string, split: SplitLimits | undefined): Promise<TokenParts> {
    const parts = new TokenParts(dir, name, head, split);
    if (split?.bytes !== undefined && parts.head.length >= split.bytes) {
      throw new MeetingTokensError(
        'CONFIG_INVALID',
        `output.split.bytes: ${split.bytes} bytes do not hold the header line (${parts.head.length} bytes) and a row; give more`,
      );
    }
    await parts.next();
    return parts;
  }

  /** Bytes staged so far, over every part, each part's head included. */
  get bytes(): number {
    return this.total;
  }

  /** Whether the batch is written in parts. */
  get isSplit(): boolean {
    return this.split !== undefined;
  }

  /**
   * Appends a chunk's token rows; `rowEnds` gives where each row ends in `bytes` (needed only
   * when split).
   */
  async write(bytes: string | Uint8Array, rowEnds?: Uint32Array): Promise<void> {
    if (this.split === undefined || typeof bytes === 'string' || rowEnds === undefined) {
      if (this.split !== undefined) throw new Error('a split tokens file is written with its row ends');
      await this.current().write(bytes);
      this.total += typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
      return;
    }
    const maxRows = this.split.rows ?? Infinity;
    const maxBytes = this.split.bytes ?? Infinity;
    let start = 0; // first byte not yet written
    let rowStart = 0;
    for (let i = 0; i < rowEnds.length; i++) {
      const end = rowEnds[i]!;
      const rowBytes = end - rowStart;
      if (this.head.length + rowBytes > maxBytes) {
        throw new MeetingTokensError(
          'CONFIG_INVALID',
          `output.split.bytes: a row of ${rowBytes} bytes and the header line (${this.head.length} bytes) do not fit in ${maxBytes} bytes; give more`,
        );
      }
      if (this.rows > 0 && (this.rows + 1 > maxRows || this.size + rowBytes > maxBytes)) {
        if (rowStart > start) await this.current().write(bytes.subarray(start, rowStart));
        start = rowStart;
        await this.next();
      }
      this.rows++;
      this.size += rowBytes;
      rowStart = end;
    }
    if (rowStart > start) await this.current().write(bytes.subarray(start, rowStart));
    this.total += rowStart;
  }

  /** Publishes every part in order, yielding each once it is out; the caller fsyncs the directory. */
  async *commit(signal?: AbortSignal): AsyncGenerator<PublishedFile> {
    for (const part of this.parts) yield await part.commit(signal);
  }

  /** Removes every staged part; never throws. */
  async discard(): Promise<void> {
    for (const part of this.parts) await part.discard();
  }

  private current(): StagedFile {
    return this.parts[this.parts.length - 1]!;
  }

  private async next(): Promise<void> {
    if (this.parts.length >= MAX_PARTS) {
      throw new MeetingTokensError('CONFIG_INVALID', `output.split: more than ${MAX_PARTS} parts; give larger rows or bytes`);
    }
    const part = await StagedFile.create(this.dir, this.name(this.parts.length + 1));
    this.parts.push(part);
    if (this.head.length > 0) await part.write(this.head);
    this.total += this.head.length;
    this.rows = 0;
    this.size = this.head.length;
  }
}
