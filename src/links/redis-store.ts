/**
 * The link store in Redis, for several `serve` replicas on several hosts. Keys, under
 * `meeting-tokens:links:`:
 * - `L:<id>`: the link as a JSON array (one string: compact, one read);
 * - `O:<id>`: a hash of its opens (`opens`, `first`, `last`) and `revoked`, made on first need;
 * - `R:<run id>`: a hash of the run (job, domain, mint, `committed`, `revoked`);
 * - `I:<run id>`: the run's ids, a list in roster order; `U:<user id>`: a set of ids.
 * Links are resolvable only while their run's hash has `committed`.
 */
import { MeetingTokensError } from '../errors.js';
import { connectRedis, type RedisClient } from '../redis/redis-connect.js';
import { redisLocation } from '../redis/redis-url.js';
import type { LinkLookup, LinkOpens, LinkRun, LinkStore, NewLink, RunStats } from './link-store.js';
import { liveLink, lookup } from './lookup.js';

const P = 'meeting-tokens:links:';
const PAGE = 1000;
const now = (): string => String(Math.floor(Date.now() / 1000));

/** [run id, room, claims JSON, nbf, exp, line, user id, token]. */
type Packed = [string, string, string, number | null, number, number, string | null, string | null];

const num = (text: string | undefined): number | null => (text === undefined ? null : Number(text));

export class RedisLinkStore implements LinkStore {
  readonly location: string;

  private constructor(
    private readonly client: RedisClient,
    url: string,
  ) {
    this.location = redisLocation(url);
  }

  /** Connects to `url`, which came from the environment variable `variable`. */
  static async open(url: string, variable: string): Promise<RedisLinkStore> {
    return new RedisLinkStore(await connectRedis(url, variable), url);
  }

  async beginRun(run: LinkRun): Promise<void> {
    const created = await this.client.hSetNX(P + 'R:' + run.runId, 'job', run.job);
    if (!created) throw new MeetingTokensError('INTERNAL', 'links store: a run id was begun twice');
    await this.client.hSet(P + 'R:' + run.runId, {
      domain_id: run.domainId,
      domain_name: run.domainName,
      mint: run.mint,
      created: String(run.createdAt),
    });
  }

  async write(runId: string, links: readonly NewLink[]): Promise<void> {
    if (links.length === 0) return;
    const multi = this.client.multi();
    const ids: string[] = [];
    for (const l of links) {
      const packed: Packed = [runId, l.room, l.claimsJson, l.nbf, l.exp, l.line, l.userId, l.token];
      multi.set(P + 'L:' + l.id, JSON.stringify(packed));
      if (l.userId !== null) multi.sAdd(P + 'U:' + l.userId, l.id);
      ids.push(l.id);
    }
    multi.rPush(P + 'I:' + runId, ids);
    await multi.execAsPipeline();
  }

  async commitRun(runId: string): Promise<void> {
    if (!(await this.client.exists(P + 'R:' + runId)))
      throw new MeetingTokensError('INTERNAL', 'links store: a run was committed before it was begun');
    await this.client.hSetNX(P + 'R:' + runId, 'committed', now());
  }

  async discardRun(runId: string): Promise<void> {
    const run = await this.client.hGetAll(P + 'R:' + runId);
    if (run['committed'] !== undefined) return;
    for await (const ids of this.idPages(runId)) {
      const packed = await this.client.mGet(ids.map((id) => P + 'L:' + id));
      const multi = this.client.multi();
      ids.forEach((id, i) => {
        const userId = packed[i] ? (JSON.parse(packed[i]) as Packed)[6] : null;
        if (userId !== null) multi.sRem(P + 'U:' + userId, id);
      });
      multi.del(ids.map((id) => P + 'L:' + id));
      await multi.execAsPipeline();
    }
    await this.client.del([P + 'I:' + runId, P + 'R:' + runId]);
  }

  async get(id: string, at: number): Promise<LinkLookup> {
    const [text, revokedAt] = await this.client
      .multi()
      .get(P + 'L:' + id)
      .hGet(P + 'O:' + id, 'revoked')
      .execAsPipeline();
    if (typeof text !== 'string') return { status: 'unknown' };
    const p = JSON.parse(text) as Packed;
    const run = await this.client.hGetAll(P + 'R:' + p[0]);
    return lookup(
      {
        committed: run['committed'] !== undefined,
        revoked: revokedAt != null || run['revoked'] !== undefined,
        link: () =>
          liveLink(
            { id, room: p[1], nbf: p[3], exp: p[4], line: p[5], user_id: p[6], token: p[7] },
            JSON.parse(p[2]) as Record<string, unknown>,
            {
              runId: p[0],
              job: run['job']!,
              domainId: run['domain_id']!,
              domainName: run['domain_name']!,
              mint: run['mint'] === 'stored' ? 'stored' : 'at_click',
              createdAt: Number(run['created']),
            },
          ),
      },
      at,
    );
  }

  async recordOpen(id: string, at: number): Promise<boolean> {
    if ((await this.committedRun(id)) === undefined) return false;
    await this.client
      .multi()
      .hIncrBy(P + 'O:' + id, 'opens', 1)
      .hSetNX(P + 'O:' + id, 'first', String(at))
      .hSet(P + 'O:' + id, 'last', String(at))
      .execAsPipeline();
    return true;
  }

  async revokeId(id: string): Promise<boolean> {
    if ((await this.committedRun(id)) === undefined) return false;
    await this.client.hSetNX(P + 'O:' + id, 'revoked', now());
    return true;
  }

  async revokeUser(userId: string): Promise<number> {
    let revoked = 0;
    for (const id of await this.client.sMembers(P + 'U:' + userId)) {
      const run = await this.committedRun(id);
      if (run === undefined || run['revoked'] !== undefined) continue;
      if (await this.client.hSetNX(P + 'O:' + id, 'revoked', now())) revoked++;
    }
    return revoked;
  }

  async revokeRun(runId: string): Promise<number> {
    const run = await this.client.hGetAll(P + 'R:' + runId);
    if (run['committed'] === undefined) return 0;
    await this.client.hSetNX(P + 'R:' + runId, 'revoked', now());
    return this.client.lLen(P + 'I:' + runId);
  }

  async runStats(runId: string): Promise<RunStats | undefined> {
    const run = await this.client.hGetAll(P + 'R:' + runId);
    if (run['job'] === undefined) return undefined;
    const stats: RunStats = {
      runId,
      committed: run['committed'] !== undefined,
      revoked: run['revoked'] !== undefined,
      links: 0,
      opened: 0,
      opens: 0,
      revokedLinks: 0,
    };
    for await (const link of this.linkOpens(runId)) {
      stats.links++;
      if (link.opens > 0) stats.opened++;
      stats.opens += link.opens;
      if (link.revoked) stats.revokedLinks++;
    }
    return stats;
  }

  async *linkOpens(runId: string): AsyncIterable<LinkOpens> {
    const runRevoked = (await this.client.hGet(P + 'R:' + runId, 'revoked')) != null;
    for await (const ids of this.idPages(runId)) {
      const multi = this.client.multi();
      multi.mGet(ids.map((id) => P + 'L:' + id));
      for (const id of ids) multi.hGetAll(P + 'O:' + id);
      const [packed, ...opens] = (await multi.execAsPipeline()) as unknown as [(string | null)[], ...Record<string, string>[]];
      for (let i = 0; i < ids.length; i++) {
        const p = JSON.parse(packed[i]!) as Packed;
        const o = opens[i]!;
        yield {
          id: ids[i]!,
          line: p[5],
          userId: p[6],
          opens: Number(o['opens'] ?? 0),
          firstOpen: num(o['first']),
          lastOpen: num(o['last']),
          revoked: runRevoked || o['revoked'] !== undefined,
        };
      }
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.destroy());
  }

  /** The run of a link whose run is committed, or undefined. */
  private async committedRun(id: string): Promise<Record<string, string> | undefined> {
    const text = await this.client.get(P + 'L:' + id);
    if (text === null) return undefined;
    const run = await this.client.hGetAll(P + 'R:' + (JSON.parse(text) as Packed)[0]);
    return run['committed'] !== undefined ? run : undefined;
  }

  private async *idPages(runId: string): AsyncIterable<string[]> {
    for (let start = 0; ; start += PAGE) {
      const ids = await this.client.lRange(P + 'I:' + runId, start, start + PAGE - 1);
      if (ids.length > 0) yield ids;
      if (ids.length < PAGE) return;
    }
  }
}
