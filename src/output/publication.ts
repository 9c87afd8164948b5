/**
 * Publication of one batch: the tokens and rejects files staged, then published in commit order
 * (tokens, rejects, the manifest last: the batch's commit point), and on any failure everything
 * this run published removed again. Naming the batch and cleaning the directory first is
 * job/prepare-output.ts.
 */
import { unlink } from 'node:fs/promises';
import { StagedFile, type PublishedFile } from './staged-file.js';
import { DirHandle } from './dir-handle.js';
import type { Manifest } from './manifest.js';
import { TokenParts, type SplitLimits } from './token-parts.js';

/** The final names of a batch's three files (made in job/batch-name.ts). */
export interface BatchFileNames {
  tokens: string;
  rejects: string;
  manifest: string;
}

/** How the tokens file is staged: its head (BOM, header line), split limits, and part names. */
export interface TokensFileSpec {
  head: string;
  split?: SplitLimits | undefined;
  /** The final name of part `n` (1-based), when split. */
  part?: ((n: number) => string) | undefined;
}

/** The published files of a batch; `parts` (every part, in order) when the tokens file was split. */
export interface PublishedFiles {
  tokens: PublishedFile | null;
  rejects: PublishedFile;
  parts?: PublishedFile[] | undefined;
}

export class Publication {
  private readonly published: string[] = [];

  private constructor(
    private readonly outDir: DirHandle,
    private readonly names: BatchFileNames,
    readonly tokens: TokenParts,
    readonly rejects: StagedFile,
  ) {}

  /** Stages the tokens and rejects files in `dir`; a failure leaves nothing behind. */
  static async open(dir: string, names: BatchFileNames, file: TokensFileSpec = { head: '' }): Promise<Publication> {
    const outDir = await DirHandle.open(dir);
    const name = file.split !== undefined && file.part !== undefined ? file.part : () => names.tokens;
    const tokens = await TokenParts.open(outDir, name, file.head, file.split).catch(async (error: unknown) => {
      await outDir.close();
      throw error;
    });
    const rejects = await StagedFile.create(outDir, names.rejects).catch(async (error: unknown) => {
      await tokens.discard();
      const moved = await outDir.checkInPlace().then(
        () => undefined,
        (e: unknown) => e,
      );
      await outDir.close();
      throw moved ?? error;
    });
    return new Publication(outDir, names, tokens, rejects);
  }

  /**
   * Publishes the tokens file or its parts (discarded instead when `withoutTokens`), then the
   * rejects file. A split batch records its parts in `parts` and no single `tokens` file.
   */
  async commitFiles(withoutTokens: boolean, signal?: AbortSignal): Promise<PublishedFiles> {
    let parts: PublishedFile[] | undefined;
    if (withoutTokens) {
      await this.tokens.discard();
    } else {
      parts = [];
      for await (const part of this.tokens.commit(signal)) {
        this.published.push(part.name);
        parts.push(part);
      }
    }
    const rejectsFile = await this.rejects.commit(signal);
    this.published.push(rejectsFile.name);
    await this.outDir.sync();
    if (!this.tokens.isSplit) return { tokens: parts?.[0] ?? null, rejects: rejectsFile };
    return { tokens: null, rejects: rejectsFile, parts: parts ?? [] };
  }

  /** Publishes the manifest: the batch's commit point, and the last moment a signal aborts it. */
  async commitManifest(manifest: Manifest, signal?: AbortSignal): Promise<void> {
    const manifestFile = await StagedFile.create(this.outDir, this.names.manifest);
    try {
      await manifestFile.write(JSON.stringify(manifest, null, 2) + '\n');
      await manifestFile.commit(signal);
    } catch (error) {
      await manifestFile.discard();
      throw error;
    }
    this.published.push(this.names.manifest);
    await this.outDir.sync();
  }

  /**
   * Undoes the batch after `error`: staged files discarded, what this run published removed.
   * Returns the error to report.
   */
  async rollback(error: unknown, signal?: AbortSignal, beforeCheck?: () => Promise<void>): Promise<unknown> {
    await this.tokens.discard();
    await this.rejects.discard();
    // A failed run leaves nothing under a final name: undo what this run already published.
    for (const name of this.published) await unlink(this.outDir.entry(name)).catch(() => undefined);
    await beforeCheck?.();
    // Whatever failed first (a spill file, a link), a directory that went is the cause to report.
    const moved = signal?.aborted
      ? undefined
      : await this.outDir.checkInPlace().then(
          () => undefined,
          (e: unknown) => e,
        );
    return moved ?? error;
  }

  async close(): Promise<void> {
    await this.outDir.close();
  }
}
