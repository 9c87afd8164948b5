/**
 * A run's short links: the store opened (lazily: its client loads only here), the run begun
 * under its run id, each chunk's records written as the chunk is collected, and the run made
 * live only once its manifest is published. A failed run's records are removed when the store
 * still answers; records of a run that never committed (killed, say) never resolve either way.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LinksConfig } from '../config/run-config.js';
import type { LinkStore, NewLinks } from '../links/link-store.js';
import { chooseStore, openLinkStore } from '../links/open-store.js';
import { LinkWriter } from '../links/link-writer.js';
import type { LinksSpec } from '../pipeline/process-chunk.js';
import type { ManifestLinks } from '../output/manifest.js';
import type { GroupSink } from '../group/recipient-grouper.js';

/** The SQLite file of a run whose job and flags name none (and no Redis is configured). */
export const DEFAULT_LINKS_DB = 'links.db';

/**
 * Records are written in transactions of at least this many (fewer commits; a Redis pipeline
 * each). Held meanwhile: a few MB.
 */
const WRITE_BATCH = 32_768;

/**
 * A run never committed that began this long ago was killed or failed where its records could
 * not be removed: the next run on the store removes them. No run takes a day (a million rows
 * take seconds), so a run still going is never taken for one.
 */
export const STALE_RUN_SECONDS = 24 * 3600;

export class RunLinks {
  private links = 0;
  private pending: NewLinks[] = [];
  private pendingLinks = 0;
  private dropped: number[] = [];

  private constructor(
    private readonly store: LinkStore,
    private readonly config: LinksConfig,
    private readonly runId: string,
    private readonly runSeq: number,
    private readonly writer: LinkWriter,
    private readonly log: Logger,
  ) {}

  /** Opens the store and begins the run there. */
  static async begin(
    config: LinksConfig,
    outDir: string,
    run: { runId: string; job: string; domainId: string; domainName: string; createdAt: number },
    log: Logger,
  ): Promise<RunLinks> {
    const choice = chooseStore(config.db, join(outDir, DEFAULT_LINKS_DB));
    const store = await openLinkStore(choice);
    let runSeq: number;
    try {
      const purged = await store.purgeStale(Math.floor(Date.now() / 1000) - STALE_RUN_SECONDS);
      if (purged > 0)
        log.info(
          { job: run.job, linksStore: store.location, purged },
          `short links: removed the records of ${purged} run(s) never committed`,
        );
      runSeq = await store.beginRun({ ...run, mint: config.mint });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    log.info({ job: run.job, linksStore: store.location, mint: config.mint }, `short links: records go to ${store.location}`);
    return new RunLinks(store, config, run.runId, runSeq, new LinkWriter(choice, run.runId), log);
  }

  /** What every chunk needs to give its rows links. */
  get spec(): LinksSpec {
    return { urlPrefix: `${this.config.baseUrl}/j/`, runSeq: this.runSeq, storeTokens: this.config.mint === 'stored' };
  }

  async write(links: NewLinks | undefined): Promise<void> {
    if (links === undefined || links.lines.length === 0) return;
    this.pending.push(links);
    this.pendingLinks += links.lines.length;
    if (this.pendingLinks >= WRITE_BATCH) await this.handOver();
  }

  /**
   * `sink`, whose rows over a recipient's limit (rejected after their records were written) have
   * their records removed before the run commits: a rejected row's link must never resolve.
   */
  dropOver(sink: GroupSink): GroupSink {
    return {
      recipient: (rows) => sink.recipient(rows),
      over: (member, firstLine) => {
        this.dropped.push(member.line);
        return sink.over(member, firstLine);
      },
      end: async () => {
        await sink.end?.();
      },
    };
  }

  /** Writes what is held and removes the records of rows dropped, and waits until all is written: before the manifest is published. */
  async flush(): Promise<void> {
    await this.handOver();
    if (this.dropped.length > 0) {
      const lines = this.dropped;
      this.dropped = [];
      this.links -= await this.writer.dropLines(lines);
    }
    await this.writer.settled();
  }

  /** Hands what is held to the writer thread. */
  private async handOver(): Promise<void> {
    if (this.pending.length === 0) return;
    const batches = this.pending;
    this.links += this.pendingLinks;
    this.pending = [];
    this.pendingLinks = 0;
    await this.writer.write(batches);
  }

  /** The manifest's `links`. */
  manifestEntry(published: boolean): ManifestLinks {
    return { base_url: this.config.baseUrl, store: this.store.location, mint: this.config.mint, records: published ? this.links : 0 };
  }

  /** Makes the run's links resolvable: after the manifest is published. */
  async commit(): Promise<void> {
    await this.store.commitRun(this.runId);
  }

  /** Removes the records of a run that did not commit; a store that does not answer leaves them unresolvable. */
  async discard(): Promise<void> {
    // The writer first: no write of this run may land after its records are removed.
    await this.writer.close();
    await this.store.discardRun(this.runId).catch((error: unknown) => {
      this.log.warn(
        { linksStore: this.store.location, why: (error as Error).message },
        "short links: could not remove this failed run's records (they never resolve)",
      );
    });
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.store.close().catch(() => undefined);
  }
}
