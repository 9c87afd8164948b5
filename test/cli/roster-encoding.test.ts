import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, readCsv, payloadOf, DOMAIN_ID, NOW } from '../helpers.js';
import { encodeUtf16 } from '../encode.js';

// Byte-order marks, U+FFFD and header rows: fixtures/bad/, one case each.
const BAD = join(ROOT, 'fixtures', 'bad');
const STAMP = '20261127T100000Z';

async function run(fixture: string, workers = '0', extra: string[] = []) {
  const out = join(tempDir(), 'out');
  const args = ['run', '--roster', join(BAD, fixture), '--out', out, '--domain-id', DOMAIN_ID, '--now', NOW, '--log-level', 'silent'];
  const result = await runCli([...args, '--max-reject-ratio', '1', '--workers', workers, ...extra]);
  const base = join(out, fixture.replace(/\.csv$/, '') + `-${STAMP}`);
  const files = (): string[] => {
    try {
      return readdirSync(out);
    } catch {
      return [];
    }
  };
  return { ...result, files, tokens: () => readCsv(`${base}.csv`), rejects: () => readCsv(`${base}.rejects.csv`) };
}

describe('roster encoding and header row', () => {
  it('a valid U+FFFD is text like any other: signed, not taken for bytes that are not UTF-8', async () => {
    const r = await run('replacement-char.csv');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.tokens().map((t) => payloadOf(t['token']!)['u'])).toEqual(['Ada \uFFFD', '\uFFFD']);
    expect(r.rejects()).toEqual([]);
  });

  it.each(['0', '2'])(
    'U+FFFD beside bytes that are not UTF-8, roster declared UTF-8 (workers %s): only the rows with such bytes are rejected',
    async (workers) => {
      const r = await run('replacement-char-and-invalid.csv', workers, ['--encoding', 'utf-8']);
      expect(r.code).toBe(0);
      expect(r.tokens().map((t) => payloadOf(t['token']!)['u'])).toEqual(['Ada \uFFFD', '\uFFFD Cy']);
      const reason = 'bytes that are not UTF-8 (looks like Windows-1252; set encoding: windows-1252)';
      expect(r.rejects().map((row) => [row['line'], row['reason']])).toEqual([
        ['3', reason],
        ['5', `${reason} (the record runs over lines 5-6: is a quote left open?)`],
      ]);
    },
  );

  it('a BOM before a blank line and the header: read as without the BOM', async () => {
    const r = await run('bom-blank-line.csv');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.tokens().map((t) => [t['room_name'], t['user_name']])).toEqual([['demo', 'Ada']]);
  });

  it('a BOM before a quoted header field that holds a line break: the header is the whole first record', async () => {
    const r = await run('bom-quoted-header-break.csv');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.tokens()).toEqual([expect.objectContaining({ 'Notes\n(internal)': 'a\nb', room_name: 'demo', user_name: 'Ada' })]);
  });

  it('a quote never closed in the header row: exit 2, one line naming the line, nothing published', async () => {
    const r = await run('unclosed-quote-in-header.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `meeting-tokens: roster ${join(BAD, 'unclosed-quote-in-header.csv')} line 1: a quoted field of the header row is never closed; fix the header and run again\n`,
    );
    expect(r.files()).toEqual([]);
  });

  it('a header row that is not UTF-8: exit 2, one line with the likely encoding, nothing published', async () => {
    const dir = tempDir();
    const roster = join(dir, 'latin.csv');
    writeFileSync(roster, Buffer.from('room,name,Straße\ndemo,Ada,x\n', 'latin1'));
    const r = await runCli(['run', '--roster', roster, '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--log-level', 'silent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `meeting-tokens: roster ${roster} line 1: the header row has bytes that are not UTF-8 (looks like Windows-1252; set encoding: windows-1252)\n`,
    );
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it.each([
    ['utf-16le', false],
    ['utf-16be', true],
  ] as const)(
    'a %s file without a byte-order mark, not declared: exit 2 saying so (its header has NUL bytes)',
    async (encoding, bigEndian) => {
      const dir = tempDir();
      const roster = join(dir, 'utf16.csv');
      writeFileSync(roster, encodeUtf16('room,name\ndemo,Ada\n', bigEndian, false));
      const r = await runCli(['run', '--roster', roster, '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--log-level', 'silent']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `meeting-tokens: roster ${roster} line 1: the header row has NUL bytes: looks like ${encoding.toUpperCase()} without a byte-order mark; set encoding: ${encoding}\n`,
      );
    },
  );
});
