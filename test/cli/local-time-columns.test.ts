import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, tempDir, writeFile, DOMAIN_ID, NOW } from '../helpers.js';

// NOW is 2026-11-27T10:00:00Z; ttl 1d puts exp at 2026-11-28T10:00:00Z, or a day after a row's not_before.
const ROSTER = [
  'Email,Full Name,Room,Time Zone,Language,not_before',
  'ada@example.com,Ada Lovelace,demo,Asia/Kolkata,,2026-11-27T12:00:00Z',
  'grace@example.com,Grace Hopper,demo,,en-US,',
  'bob@example.com,Bob,demo,Mars/Base,,',
  'zoe@example.com,Zoë Müller,demo,Europe/Berlin,de-DE,2026-11-27T12:00:00Z',
  'eve@example.com,Eve,demo,,en_GB,',
  'ana@example.com,Ana,demo,America/Sao_Paulo,pt-BR,',
].join('\n');

const JOB = `roster: roster.csv
out: out
domain_id: ${DOMAIN_ID}
domain_name: acme
timezone: Europe/Berlin
output:
  profile: sendgrid
  columns: { email: email, user_name: name, expires_local: join_expires, not_before_local: join_starts }
  locale: en-GB
  timezone_column: Time Zone
  locale_column: Language
`;

async function run(extra: string[] = [], env: Record<string, string> = {}, job = JOB) {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', ROSTER);
  writeFile(dir, 'job.yaml', job);
  const result = await runCli(['run', join(dir, 'job.yaml'), '--now', NOW, '--log-level', 'silent', ...extra], { env });
  const out = join(dir, 'out');
  const files = readdirSync(out);
  const tokens = join(
    out,
    files.find((f) => /Z\.(csv|jsonl)$/.test(f))!,
  );
  const rejects = join(
    out,
    files.find((f) => f.endsWith('.rejects.csv'))!,
  );
  return { result, tokens, rejects };
}

describe('expires_local and not_before_local in a mailer file', () => {
  it("formats each row in its own time zone and locale, the job's where a cell is empty, and rejects bad cells naming the column", async () => {
    const { result, tokens, rejects } = await run();
    expect(result.code).toBe(0);
    expect(readCsv(tokens)).toEqual([
      {
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        join_expires: 'Sat, 28 Nov 2026, 17:30 GMT+5:30',
        join_starts: 'Fri, 27 Nov 2026, 17:30 GMT+5:30',
      },
      { email: 'grace@example.com', name: 'Grace Hopper', join_expires: 'Sat, Nov 28, 2026, 11:00 AM GMT+1', join_starts: '' },
      {
        email: 'zoe@example.com',
        name: 'Zoë Müller',
        join_expires: 'Sa., 28. Nov. 2026, 13:00 MEZ',
        join_starts: 'Fr., 27. Nov. 2026, 13:00 MEZ',
      },
      { email: 'ana@example.com', name: 'Ana', join_expires: 'sáb., 28 de nov. de 2026, 07:00 BRT', join_starts: '' },
    ]);
    const rejected = readCsv(rejects).map((row) => [row['line'], row['reason']]);
    expect(rejected).toEqual([
      ['4', 'Time Zone: "Mars/Base" is not an IANA time zone; e.g. Europe/Berlin, America/New_York, UTC'],
      ['6', 'Language: "en_GB" is not a BCP 47 locale (did you mean en-GB?); e.g. en-GB, de-DE, fr'],
    ]);
  });

  it('writes the same bytes with worker threads and under another process time zone and language', async () => {
    const plain = await run(['--workers', '0']);
    const threads = await run(['--workers', '2'], { TZ: 'America/Sao_Paulo', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' });
    expect(threads.result.code).toBe(0);
    expect(readFileSync(threads.tokens)).toEqual(readFileSync(plain.tokens));
    expect(readFileSync(threads.rejects)).toEqual(readFileSync(plain.rejects));
  });

  it('takes a preset or options from the flags over the job, in JSONL too', async () => {
    const { result, tokens } = await run([
      '--format',
      'jsonl',
      '--time-format',
      '{"hour":"numeric","minute":"2-digit","timeZoneName":"shortOffset"}',
      '--locale',
      'en-GB',
    ]);
    expect(result.code).toBe(0);
    const first = JSON.parse(readFileSync(tokens, 'utf8').split('\n')[0]!) as Record<string, string>;
    expect(first).toEqual({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      join_expires: '17:30 GMT+5:30',
      join_starts: '17:30 GMT+5:30',
    });
  });

  it('stops at start, exit 2, when the per-row column is not in the roster', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', ROSTER);
    writeFile(dir, 'job.yaml', JOB.replace('timezone_column: Time Zone', 'timezone_column: Zone'));
    const result = await runCli(['run', join(dir, 'job.yaml'), '--now', NOW]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'meeting-tokens: output.timezone_column: the roster has no column "Zone" (did you mean Room?); name one of its headers',
    ]);
  });
});
