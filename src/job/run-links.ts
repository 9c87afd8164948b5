/**
 * A run's short links: the store opened (lazily: its client loads only here), the run begun
 * under its run id, each chunk's records written as the chunk is collected, and the run made
 * live only once its manifest is published. A failed run's records are removed when the store
 * still answers; records of a run that never committed (killed, say) never resolve either way.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LinksConfig } from '../config/run-config.js';
import type { LinkStore, NewLink } from '../links/link-store.js';
import { chooseStore, openLinkStore } from '../links/open-store.js';
import type { LinksSpec } from '../pipeline/process-chunk.js';
import type { ManifestLinks } from '../output/manifest.js';

/** The SQLite file of a run whose job and flags name none (and no Redis is configured). */
export const DEFAULT_LINKS_DB = 'links.db';

/**
 * Records are written in transactions of at least this many: each transaction rewrites the index
 * pages it touches, and random ids touch many, so fewer, larger ones cost far less (measured:
 * 200k records 3.4 CPU s in chunk-sized transactions, 2.5 s in 50k ones). Held meanwhile: ~10 MB.
 */
const WRITE_BATCH = 32_768;

export class RunLinks {
  private links = 0;
  private pending: NewLink[] = [];

  private constructor(
    private readonly store: LinkStore,
    private readonly config: LinksConfig,
    private readonly runId: string,
    private readonly log: Logger,
  ) {}

  /** Opens the store and begins the run there. */
  static async begin(
    config: LinksConfig,
    outDir: string,
    run: { runId: string; job: string; domainId: string; domainName: string; createdAt: number },
    log: Logger,
  ): Promise<RunLinks> {
    const store = await openLinkStore(chooseStore(config.db, join(outDir, DEFAULT_LINKS_DB)));
    try {
      await store.beginRun({ ...run, mint: config.mint });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    log.info({ job: run.job, linksStore: store.location, mint: config.mint }, `short links: records go to ${store.location}`);
    return new RunLinks(store, config, run.runId, log);
  }

  /** What every chunk needs to give its rows links. */
  get spec(): LinksSpec {
    return { urlPrefix: `${this.config.baseUrl}/j/`, storeTokens: this.config.mint === 'stored' };
  }

  async write(links: readonly NewLink[]): Promise<void> {
    for (const link of links) this.pending.push(link);
    if (this.pending.length >= WRITE_BATCH) await this.flush();
  }

  /** Writes what is held: before the manifest is published. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    await this.store.write(this.runId, batch);
    this.links += batch.length;
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
    await this.store.discardRun(this.runId).catch((error: unknown) => {
      this.log.warn(
        { linksStore: this.store.location, why: (error as Error).message },
        "short links: could not remove this failed run's records (they never resolve)",
      );
    });
  }

  async close(): Promise<void> {
    await this.store.close().catch(() => undefined);
  }
}
