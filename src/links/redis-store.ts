/**
 * The link store in Redis, for several `serve` replicas on several hosts. Keys, under
 * `meeting-tokens:links:`:
 * - `L:<locator>`: the link as a JSON array (one string: compact, one read), with its
 *   verifier's SHA-256 (link-id.ts: an id is its locator and its verifier);
 * - `O:<locator>`: a hash of its opens (`opens`, `first`, `last`) and `revoked`, made on first need;
 * - `R:<run id>`: a hash of the run (job, domain, mint, `seq`, `committed`, `revoked`, `dropped`);
 * - `I:<run id>`: the run's locators, a list in roster order; `U:<user id>`: a set of locators;
 * - `seq`: the last run seq given; `begun`: a sorted set of uncommitted run ids by start time.
 * Links are resolvable only while their run's hash has `committed`.
 */
import { MeetingTokensError } from '../errors.js';
import { connectRedis, type RedisClient } from '../redis/redis-connect.js';
import { redisLocation } from '../redis/redis-url.js';
import { luaScript } from '../redis/lua-script.js';
import type { LinkLookup, LinkOpens, LinkRun, LinkStore, NewLinks, OpenCount, RunStats } from './link-store.js';
import { liveLink, lookup } from './lookup.js';
import { linkKey, locatorOf, parseLinkId, VERIFIER_HASH_BYTES, verifierMatches } from './link-id.js';

const P = 'meeting-tokens:links:';
const PAGE = 1000;
const now = (): string => String(Math.floor(Date.now() / 1000));

/** [run id, room, claims JSON (link-claims.ts), nbf, exp, line, user id, token, verifier hash (hex)]. */
type Packed = [string, string, string, number | null, number, number, string | null, string | null, string];

/** KEYS: `O:<locator>` hashes; ARGV: opens, first, last per key. Earliest first and latest last win, whichever replica writes first. */
const COUNT_OPENS = luaScript(`
for i, key in ipairs(KEYS) do
  local first, last = ARGV[3 * i - 1], ARGV[3 * i]
  redis.call('HINCRBY', key, 'opens', ARGV[3 * i - 2])
  local f = tonumber(redis.call('HGET', key, 'first'))
  if not f or tonumber(first) < f then redis.call('HSET', key, 'first', first) end
  local l = tonumber(redis.call('HGET', key, 'last'))
  if not l or tonumber(last) > l then redis.call('HSET', key, 'last', last) end
end
return #KEYS`);

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

  async beginRun(run: LinkRun): Promise<number> {
    const created = await this.client.hSetNX(P + 'R:' + run.runId, 'job', run.job);
    if (!created) throw new MeetingTokensError('INTERNAL', 'links store: a run id was begun twice');
    const seq = await this.client.incr(P + 'seq');
    await this.client
      .multi()
      .hSet(P + 'R:' + run.runId, {
        domain_id: run.domainId,
        domain_name: run.domainName,
        mint: run.mint,
        created: String(run.createdAt),
        seq: String(seq),
      })
      .zAdd(P + 'begun', { score: run.createdAt, value: run.runId })
      .execAsPipeline();
    return seq;
  }

  async write(runId: string, batches: readonly NewLinks[]): Promise<void> {
    const seq = await this.runSeq(runId);
    const multi = this.client.multi();
    const locators: string[] = [];
    for (const b of batches) {
      const hashes = Buffer.from(b.verifierHashes.buffer, b.verifierHashes.byteOffset, b.verifierHashes.byteLength);
      for (let i = 0; i < b.lines.length; i++) {
        const locator = locatorOf(linkKey(seq, b.lines[i]!));
        const userId = b.userIds[i]!;
        const hash = hashes.toString('hex', i * VERIFIER_HASH_BYTES, (i + 1) * VERIFIER_HASH_BYTES);
        const token = b.tokens === undefined ? null : b.tokens[i]!;
        const packed: Packed = [runId, b.rooms[i]!, b.claims[i]!, b.nbf[i]!, b.exp[i]!, b.lines[i]!, userId, token, hash];
        multi.set(P + 'L:' + locator, JSON.stringify(packed));
        if (userId !== null) multi.sAdd(P + 'U:' + userId, locator);
        locators.push(locator);
      }
    }
    if (locators.length === 0) return;
    multi.rPush(P + 'I:' + runId, locators);
    await multi.execAsPipeline();
  }

  async dropLines(runId: string, lines: readonly number[]): Promise<number> {
    const seq = await this.runSeq(runId);
    let removed = 0;
    for (let start = 0; start < lines.length; start += PAGE) {
      removed += await this.removeLinks(lines.slice(start, start + PAGE).map((line) => locatorOf(linkKey(seq, line))));
    }
    if (removed > 0) await this.client.hIncrBy(P + 'R:' + runId, 'dropped', removed);
    return removed;
  }

  async purgeStale(before: number): Promise<number> {
    const stale = await this.client.zRangeByScore(P + 'begun', '-inf', `(${before}`);
    for (const runId of stale) await this.discardRun(runId);
    return stale.length;
  }

  async commitRun(runId: string): Promise<void> {
    if (!(await this.client.exists(P + 'R:' + runId)))
      throw new MeetingTokensError('INTERNAL', 'links store: a run was committed before it was begun');
    await this.client.hSetNX(P + 'R:' + runId, 'committed', now());
    await this.client.zRem(P + 'begun', runId);
  }

  async discardRun(runId: string): Promise<void> {
    const run = await this.client.hGetAll(P + 'R:' + runId);
    if (run['committed'] !== undefined) return;
    for await (const locators of this.idPages(runId)) await this.removeLinks(locators);
    await this.client
      .multi()
      .del([P + 'I:' + runId, P + 'R:' + runId])
      .zRem(P + 'begun', runId)
      .execAsPipeline();
  }

  async get(id: string, at: number): Promise<LinkLookup> {
    const parsed = parseLinkId(id);
    if (parsed === undefined) return { status: 'unknown' };
    const [text, revokedAt] = await this.client
      .multi()
      .get(P + 'L:' + parsed.locator)
      .hGet(P + 'O:' + parsed.locator, 'revoked')
      .execAsPipeline();
    if (typeof text !== 'string') return { status: 'unknown' };
    const p = JSON.parse(text) as Packed;
    const run = await this.client.hGetAll(P + 'R:' + p[0]);
    return lookup(
      {
        verified: verifierMatches(Buffer.from(p[8], 'hex'), parsed.verifier),
        committed: run['committed'] !== undefined,
        revoked: revokedAt != null || run['revoked'] !== undefined,
        link: () =>
          liveLink(
            id,
            p[5],
            { room: p[1], claims: p[2], nbf: p[3], exp: p[4], user_id: p[6], token: p[7] },
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
    const locator = await this.committedLocator(id);
    if (locator === undefined) return false;
    await this.client
      .multi()
      .hIncrBy(P + 'O:' + locator, 'opens', 1)
      .hSetNX(P + 'O:' + locator, 'first', String(at))
      .hSet(P + 'O:' + locator, 'last', String(at))
      .execAsPipeline();
    return true;
  }

  async recordOpens(counts: readonly OpenCount[]): Promise<number> {
    if (counts.length === 0) return 0;
    const parsed = counts.map((c) => parseLinkId(c.id));
    const packed = await this.client.mGet(parsed.map((p) => P + 'L:' + (p?.locator ?? '-')));
    const runOf = packed.map((text, i) => {
      const p = parsed[i];
      if (text === null || p === undefined) return undefined;
      const record = JSON.parse(text) as Packed;
      return verifierMatches(Buffer.from(record[8], 'hex'), p.verifier) ? record[0] : undefined;
    });
    const runIds = [...new Set(runOf.filter((runId) => runId !== undefined))];
    if (runIds.length === 0) return 0;
    const multi = this.client.multi();
    for (const runId of runIds) multi.hExists(P + 'R:' + runId, 'committed');
    const exists = await multi.execAsPipeline();
    const committed = new Set(runIds.filter((_, i) => Boolean(exists[i])));
    const keys: string[] = [];
    const args: string[] = [];
    counts.forEach((c, i) => {
      const runId = runOf[i];
      if (runId === undefined || !committed.has(runId)) return;
      keys.push(P + 'O:' + parsed[i]!.locator);
      args.push(String(c.opens), String(c.first), String(c.last));
    });
    if (keys.length > 0) await COUNT_OPENS(this.client, keys, args);
    return keys.length;
  }

  async revokeId(id: string): Promise<boolean> {
    const locator = await this.committedLocator(id);
    if (locator === undefined) return false;
    await this.client.hSetNX(P + 'O:' + locator, 'revoked', now());
    return true;
  }

  async revokeUser(userId: string): Promise<number> {
    let revoked = 0;
    for (const locator of await this.client.sMembers(P + 'U:' + userId)) {
      const run = await this.committedRun(locator);
      if (run === undefined || run['revoked'] !== undefined) continue;
      if (await this.client.hSetNX(P + 'O:' + locator, 'revoked', now())) revoked++;
    }
    return revoked;
  }

  async revokeRun(runId: string): Promise<number> {
    const run = await this.client.hGetAll(P + 'R:' + runId);
    if (run['committed'] === undefined) return 0;
    await this.client.hSetNX(P + 'R:' + runId, 'revoked', now());
    return (await this.client.lLen(P + 'I:' + runId)) - Number(run['dropped'] ?? 0);
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
    for await (const locators of this.idPages(runId)) {
      const multi = this.client.multi();
      multi.mGet(locators.map((locator) => P + 'L:' + locator));
      for (const locator of locators) multi.hGetAll(P + 'O:' + locator);
      const [packed, ...opens] = (await multi.execAsPipeline()) as unknown as [(string | null)[], ...Record<string, string>[]];
      for (let i = 0; i < locators.length; i++) {
        // A locator whose record is gone: a row dropped after signing (dropLines).
        if (packed[i] == null) continue;
        const p = JSON.parse(packed[i]!) as Packed;
        const o = opens[i]!;
        yield {
          locator: locators[i]!,
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

  /** The locator of `id` when its verifier matches and its run is committed; else undefined. */
  private async committedLocator(id: string): Promise<string | undefined> {
    const parsed = parseLinkId(id);
    if (parsed === undefined) return undefined;
    const text = await this.client.get(P + 'L:' + parsed.locator);
    if (text === null || !verifierMatches(Buffer.from((JSON.parse(text) as Packed)[8], 'hex'), parsed.verifier)) return undefined;
    return (await this.committedRun(parsed.locator)) === undefined ? undefined : parsed.locator;
  }

  /** The run of the link at `locator` when that run is committed, or undefined. */
  private async committedRun(locator: string): Promise<Record<string, string> | undefined> {
    const text = await this.client.get(P + 'L:' + locator);
    if (text === null) return undefined;
    const run = await this.client.hGetAll(P + 'R:' + (JSON.parse(text) as Packed)[0]);
    return run['committed'] !== undefined ? run : undefined;
  }

  private async runSeq(runId: string): Promise<number> {
    const seq = await this.client.hGet(P + 'R:' + runId, 'seq');
    if (seq == null) throw new MeetingTokensError('INTERNAL', 'links store: a run was written before it was begun');
    return Number(seq);
  }

  /** Removes these links' records and their places in the user id sets; returns how many there were. */
  private async removeLinks(locators: readonly string[]): Promise<number> {
    const packed = await this.client.mGet(locators.map((locator) => P + 'L:' + locator));
    const multi = this.client.multi();
    locators.forEach((locator, i) => {
      const userId = packed[i] ? (JSON.parse(packed[i]) as Packed)[6] : null;
      if (userId !== null) multi.sRem(P + 'U:' + userId, locator);
    });
    multi.del(locators.map((locator) => P + 'L:' + locator));
    multi.del(locators.map((locator) => P + 'O:' + locator));
    await multi.execAsPipeline();
    return packed.filter((text) => text !== null).length;
  }

  private async *idPages(runId: string): AsyncIterable<string[]> {
    for (let start = 0; ; start += PAGE) {
      const ids = await this.client.lRange(P + 'I:' + runId, start, start + PAGE - 1);
      if (ids.length > 0) yield ids;
      if (ids.length < PAGE) return;
    }
  }
}
