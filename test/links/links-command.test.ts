/** `links revoke | stats | unopened` against a batch a real run published, with a real SQLite store. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ID, readCsv, runCli, tempDir, writeFile } from '../helpers.js';
import { openLinkStore } from '../../src/links/open-store.js';

const ROSTER = [
  'room,name,user_id,email',
  'standup,Ada,u-1,ada@example.com',
  'standup,Bob,u-2,bob@example.com',
  'retro,Cy,u-3,cy@example.com',
  '',
].join('\n');
const NO_REDIS = { LINKS_REDIS_URL: undefined, REDIS_URL: undefined };

async function batch() {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', ROSTER);
  const out = join(dir, 'out');
  const run = ['run', '--roster', join(dir, 'roster.csv'), '--out', out, '--domain-id', DOMAIN_ID, '--domain-name', 'my-team'];
  expect((await runCli([...run, '--links-base-url', 'https://join.example.com'], { env: NO_REDIS })).code).toBe(0);
  const name = readdirSync(out).find((n) => n.endsWith('.manifest.json'))!;
  const tokens = readdirSync(out).find((n) => /\d{6}Z\.csv$/.test(n))!;
  return { dir, manifest: join(out, name), tokens: join(out, tokens), db: join(out, 'links.db'), rows: readCsv(join(out, tokens)) };
}

describe('links commands', () => {
  it('stats and unopened follow the opens; revoke by id, user id and batch; no id is printed', async () => {
    const b = await batch();
    const ids = b.rows.map((r) => r['short_url']!.split('/j/')[1]!);
    const store = await openLinkStore({ kind: 'sqlite', path: b.db });
    try {
      expect(await store.recordOpen(ids[1]!, 1_800_000_000)).toBe(true);
    } finally {
      await store.close();
    }
    const stats = await runCli(['links', 'stats', b.manifest], { env: NO_REDIS });
    expect(stats.code).toBe(0);
    expect(stats.stdout).toBe(
      'line,user_id,opens,first_open,last_open,revoked\n2,u-1,0,,,false\n3,u-2,1,2027-01-15T08:00:00Z,2027-01-15T08:00:00Z,false\n4,u-3,0,,,false\n',
    );
    expect(stats.stderr).toBe('3 links: 1 opened (1 open), 0 revoked\n');

    const out = join(b.dir, 'remind.csv');
    const unopened = await runCli(['links', 'unopened', b.manifest, '--out', out], { env: NO_REDIS });
    expect(unopened.code).toBe(0);
    expect(unopened.stderr).toBe('2 recipients of 3 not opened yet\n');
    // The batch's own lines, byte for byte: header, Ada, Cy.
    const lines = readFileSync(b.tokens, 'utf8').split('\n');
    expect(readFileSync(out, 'utf8')).toBe([lines[0], lines[1], lines[3], ''].join('\n'));
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const byId = await runCli(['links', 'revoke', '--id', b.rows[0]!['short_url']!, '--links-db', b.db], { env: NO_REDIS });
    expect([byId.code, byId.stdout]).toEqual([0, 'revoked the link\n']);
    const byUser = await runCli(['links', 'revoke', '--user-id', 'u-3', '--links-db', b.db, '--json'], { env: NO_REDIS });
    expect([byUser.code, byUser.stdout]).toEqual([0, '{"revoked":1}\n']);
    const again = await runCli(['links', 'revoke', '--user-id', 'u-3', '--links-db', b.db], { env: NO_REDIS });
    expect(again.code).toBe(1);
    const none = await runCli(['links', 'unopened', b.manifest], { env: NO_REDIS });
    expect([none.stdout.split('\n').length, none.stderr]).toEqual([2, '0 recipients of 3 not opened yet (2 revoked left out)\n']);
    const whole = await runCli(['links', 'revoke', '--manifest', b.manifest], { env: NO_REDIS });
    expect([whole.code, whole.stdout]).toEqual([0, "revoked the batch's 3 links\n"]);
    const after = await runCli(['links', 'stats', b.manifest], { env: NO_REDIS });
    expect(
      after.stdout
        .trim()
        .split('\n')
        .slice(1)
        .every((l) => l.endsWith(',true')),
    ).toBe(true);

    for (const r of [stats, unopened, byId, byUser, none, whole, after])
      for (const id of ids) expect(r.stdout + r.stderr).not.toContain(id);
  });

  it('one-line errors: two targets, no store, not a short link, a manifest without links', async () => {
    const b = await batch();
    const two = await runCli(['links', 'revoke', '--manifest', b.manifest, '--user-id', 'u-1'], { env: NO_REDIS });
    expect([two.code, two.stderr.trim()]).toEqual([
      2,
      'meeting-tokens: links revoke: give one of --manifest <file>, --user-id <id> or --id <link>',
    ]);
    const noStore = await runCli(['links', 'revoke', '--user-id', 'u-1'], { env: NO_REDIS });
    expect(noStore.stderr.trim()).toBe('meeting-tokens: links revoke: which store? give --links-db <file> or set LINKS_REDIS_URL');
    const bad = await runCli(['links', 'revoke', '--id', 'https://join.example.com/j/short', '--links-db', b.db], { env: NO_REDIS });
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'meeting-tokens: --id: not a short link or its id']);
    const dir = tempDir();
    writeFile(dir, 'roster.csv', ROSTER);
    await runCli(['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID]);
    const plain = join(
      dir,
      'out',
      readdirSync(join(dir, 'out')).find((n) => n.endsWith('.manifest.json'))!,
    );
    const noLinks = await runCli(['links', 'stats', plain]);
    expect([noLinks.code, noLinks.stderr.trim()]).toEqual([
      2,
      `meeting-tokens: ${plain}: this batch made no short links (no links: in its job)`,
    ]);
  });
});
