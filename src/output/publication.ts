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

/** The final names of a batch's three files (made in job/batch-name.ts). */
export interface BatchFileNames {
  tokens: string;
  rejects: string;
  manifest: string;
}

export class Publication {
  private readonly published: string[] = [];

  private constructor(
    private readonly outDir: DirHandle,
    private readonly names: BatchFileNames,
    readonly tokens: StagedFile,
    readonly rejects: StagedFile,
  ) {}

  /** Stages the tokens and rejects files in `dir`; a failure leaves nothing behind. */
  static async open(dir: string, names: BatchFileNames): Promise<Publication> {
    const outDir = await DirHandle.open(dir);
    const tokens = await StagedFile.create(outDir, names.tokens).catch(async (error: unknown) => {
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

  /** Publishes the tokens file (discarded instead when `withoutTokens`), then the rejects file. */
  async commitFiles(withoutTokens: boolean, signal?: AbortSignal): Promise<{ tokens: PublishedFile | null; rejects: PublishedFile }> {
    let tokensFile: PublishedFile | null = null;
    if (withoutTokens) {
      await this.tokens.discard();
    } else {
      tokensFile = await this.tokens.commit(signal);
      this.published.push(tokensFile.name);
    }
    const rejectsFile = await this.rejects.commit(signal);
    this.published.push(rejectsFile.name);
    await this.outDir.sync();
    return { tokens: tokensFile, rejects: rejectsFile };
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
