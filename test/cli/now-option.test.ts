import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, DOMAIN_ID } from '../helpers.js';

function adHoc(dir: string, now: string, extra: string[] = []): string[] {
  return ['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--now', now, ...extra];
}

/** `days` before the real clock, whole seconds, ISO 8601. */
const daysAgo = (days: number): string => new Date(Math.floor(Date.now() / 1000 - days * 86400) * 1000).toISOString();

describe('--now', () => {
  it.each([
    ['+010000-01-01T00:00:00Z', 10000],
    ['0001-01-01T00:00:00Z', 1],
    ['1999-12-31T23:59:59Z', 1999],
    ['3000-01-01T00:00:00Z', 3000],
  ])('%s is a usage error on run and verify, one line, exit 2, nothing written', async (now, year) => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    const message = `meeting-tokens: --now: "${now}" is in the year ${year}; give a time in the years 2000 to 2999\n`;
    const run = await runCli(adHoc(dir, now));
    expect(run.stderr).toBe(message);
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const verify = await runCli(['verify', join(dir, 'roster.csv'), '--now', now]);
    expect(verify.stderr).toBe(message);
    expect(verify.code).toBe(2);
  });

  it('the first and last moments of the window are accepted', async () => {
    for (const now of ['2000-01-01T00:00:00Z', '2999-12-31T23:59:59Z']) {
      const dir = tempDir();
      writeFile(dir, 'roster.csv', 'room\ndemo\n');
      const result = await runCli(adHoc(dir, now, ['--log-level', 'silent']));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  });
});

describe('a batch whose tokens would all have expired when published', () => {
  it('fails before signing, exit 2, saying so; nothing published', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\n');
    const now = daysAgo(8);
    const result = await runCli(adHoc(dir, now, ['--ttl', '1d']), { expiredCheck: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^meeting-tokens: every token of this run would expire by \S+Z, before it is published \(\S+Z\); nothing was published: check --now and ttl, or give --allow-expired to publish them anyway\n$/,
    );
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('fails after signing when rows could have chosen a later expiry but none did; nothing published', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name,expires_at\ndemo,Ada,\ndemo,Bob,\n');
    const result = await runCli(adHoc(dir, daysAgo(8), ['--ttl', '1d', '--log-level', 'silent']), { expiredCheck: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^meeting-tokens: every token signed expired by \S+Z, before it is published/);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('is published with --allow-expired, and retention of its job keeps it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    writeFileSync(join(dir, 'jobs', 'old.yaml'), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nkeep: 3\n`);
    const args = ['run', 'old', '--jobs', join(dir, 'jobs'), '--now', daysAgo(8), '--log-level', 'silent'];
    const refused = await runCli(args, { expiredCheck: true });
    expect(refused.code).toBe(2);
    const result = await runCli([...args, '--allow-expired'], { expiredCheck: true });
    expect(result.code).toBe(0);
    const manifest = /-> (.*\.manifest\.json)\n$/.exec(result.stdout)![1]!;
    expect(JSON.parse(readFileSync(manifest, 'utf8'))).toMatchObject({ status: 'done', tokens_written: 1 });
    expect(readdirSync(join(dir, 'out'))).toHaveLength(3);
  });

  it('a run whose tokens stay valid is unaffected', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    const result = await runCli(adHoc(dir, daysAgo(0.5), ['--ttl', '1d', '--log-level', 'silent']), { expiredCheck: true });
    expect(result.code).toBe(0);
  });
});
