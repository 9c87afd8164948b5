/** kill -9 of a run with short links, as a real process: none of its records ever resolves. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CLI, DOMAIN_ID, KEY, readCsv, runCli, tempDir } from '../helpers.js';
import { openLinkStore } from '../../src/links/open-store.js';
import { parseLinkId } from '../../src/links/link-id.js';

async function bigRoster(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('email,room,name,user_id\n');
  for (let i = 0; i < rows; i++) if (!out.write(`user${i}@example.com,room-${i % 100},Name ${i},u${i}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** The ids in the short links of every file in `dir`, the unfinished (temporary) ones too. */
function idsInFiles(dir: string): string[] {
  const ids = new Set<string>();
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.db') || name.includes('.db-')) continue;
    for (const m of readFileSync(join(dir, name), 'latin1').matchAll(/\/j\/([0-9A-Za-z]{23,31})/g)) ids.add(m[1]!);
  }
  return [...ids];
}

/** How many records the store's file holds under `key`s, committed or not. */
function storedKeys(db: string, keys: number[]): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const one = d.prepare<[number], { n: number }>('SELECT count(*) AS n FROM links WHERE key = ?');
    return keys.reduce((n, key) => n + one.get(key)!.n, 0);
  } finally {
    d.close();
  }
}

/** Makes the store's runs never committed look as if they began two days ago. */
function ageUncommittedRuns(db: string): void {
  const d = new Database(db, { fileMustExist: true });
  try {
    d.prepare('UPDATE runs SET created_at = created_at - 2 * 86400 WHERE committed_at IS NULL').run();
  } finally {
    d.close();
  }
}

function countLinks(db: string): number {
  if (!existsSync(db)) return 0;
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return d.prepare<[], { n: number }>('SELECT count(*) AS n FROM links').get()!.n;
    } finally {
      d.close();
    }
  } catch {
    return 0; // not yet created by the run
  }
}

describe('kill -9 during a run with links', () => {
  it('leaves records that never resolve, and no manifest; the next run publishes links that do', async () => {
    const dir = tempDir();
    const roster = join(dir, 'roster.csv');
    await bigRoster(roster, 100_000);
    const out = join(dir, 'out');
    const db = join(out, 'links.db');
    const args = ['run', '--roster', roster, '--out', out, '--domain-id', DOMAIN_ID, '--domain-name', 'my-team'];
    const links = ['--links-base-url', 'https://join.example.com'];
    const child = spawn(process.execPath, [CLI, ...args, ...links, '--log-level', 'silent'], {
      cwd: dir,
      env: { ...process.env, DAILY_API_KEY: KEY, LINKS_REDIS_URL: '', REDIS_URL: '' },
    });
    const closed = once(child, 'close');
    const start = Date.now();
    // Killed once some records are written: mid-run, well before the manifest.
    while (countLinks(db) === 0) {
      if (Date.now() - start > 60_000 || child.exitCode !== null) throw new Error('the run never wrote a link record');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    const [, signal] = (await closed) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    expect(readdirSync(out).filter((n) => n.endsWith('.manifest.json'))).toEqual([]);

    // The ids come from the run's unfinished tokens file: the store keeps no whole id.
    const killed = idsInFiles(out);
    expect(killed.length).toBeGreaterThan(0);
    const keys = killed.map((id) => parseLinkId(id)!.key);
    expect(storedKeys(db, keys)).toBeGreaterThan(0);
    const now = Math.floor(Date.now() / 1000);
    const store = await openLinkStore({ kind: 'sqlite', path: db });
    try {
      for (const id of killed) expect((await store.get(id, now)).status).toBe('unknown');
      for (const id of killed.slice(0, 50)) expect(await store.recordOpen(id, now)).toBe(false);

      const next = await runCli([...args, ...links, '--log-level', 'silent'], { cwd: dir, env: { LINKS_REDIS_URL: '', REDIS_URL: '' } });
      expect(next.code).toBe(0);
      const tokens = readdirSync(out).find((n) => /\d{6}Z\.csv$/.test(n))!;
      const rows = readCsv(join(out, tokens));
      expect(rows).toHaveLength(100_000);
      for (const row of [rows[0]!, rows[49_999]!, rows[99_999]!]) {
        expect((await store.get(row['short_url']!.split('/j/')[1]!, now)).status).toBe('live');
      }
      for (const id of killed.slice(0, 1000)) expect((await store.get(id, now)).status).toBe('unknown');
      // A day on, the next run on the store removes the killed run's records.
      expect(storedKeys(db, keys)).toBeGreaterThan(0);
      ageUncommittedRuns(db);
      const laterArgs = ['run', '--roster', roster, '--out', join(dir, 'out2'), '--domain-id', DOMAIN_ID, '--domain-name', 'my-team'];
      const later = await runCli([...laterArgs, '--links-db', db, ...links, '--log-level', 'silent'], {
        cwd: dir,
        env: { LINKS_REDIS_URL: '', REDIS_URL: '' },
      });
      expect(later.code).toBe(0);
      expect(storedKeys(db, keys)).toBe(0);
      expect((await store.get(rows[0]!['short_url']!.split('/j/')[1]!, now)).status).toBe('live');
    } finally {
      await store.close();
    }
  }, 180_000);
});
