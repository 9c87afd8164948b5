// The rejects file is the operator's: CSV with the roster's shape (line, reason, the row's fields)
// whatever the tokens file's format, so that its rows, fixed, run again as a roster.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DOMAIN_ID, NOW, runCli, tempDir, writeFile } from '../helpers.js';

const ARGS = ['--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--ttl', '7d', '--now', NOW, '--log-level', 'silent'];

function manifestIn(out: string) {
  return JSON.parse(
    readFileSync(
      join(
        out,
        readdirSync(out).find((f) => f.endsWith('.manifest.json'))!,
      ),
      'utf8',
    ),
  );
}

describe('the rejects file of a JSONL job', () => {
  it('is CSV with line, reason and the roster fields; fixed, its rows run again as a roster', async () => {
    const dir = tempDir();
    writeFile(
      dir,
      'roster.csv',
      ['email,room,name', 'ada@example.com,demo,Ada', 'bob@example.com,bad.room,Bob', 'cy@example.com,demo,=SUM(A1)'].join('\n') + '\n',
    );
    const first = await runCli(
      ['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--profile', 'ses', '--format', 'jsonl', ...ARGS],
      {},
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const manifest = manifestIn(join(dir, 'out'));
    expect(manifest.files.tokens.name).toMatch(/\.jsonl$/);
    expect(manifest.files.rejects.name).toMatch(/\.rejects\.csv$/);
    const tokens = readFileSync(join(dir, 'out', manifest.files.tokens.name), 'utf8')
      .trimEnd()
      .split('\n');
    expect(tokens.map((line) => JSON.parse(line).email)).toEqual(['ada@example.com', 'cy@example.com']);
    expect(JSON.parse(tokens[1]!).name).toBe('=SUM(A1)'); // JSONL: never formula-escaped

    const rejects = parse(readFileSync(join(dir, 'out', manifest.files.rejects.name))) as string[][];
    expect(rejects[0]).toEqual(['line', 'reason', 'email', 'room', 'name']);
    expect(rejects.slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([['3', 'bob@example.com', 'bad.room', 'Bob']]);

    // The operator's round trip: the room fixed, the two first columns dropped, run again.
    const fixed = rejects.map((r) =>
      r
        .slice(2)
        .map((cell) => cell.replace('bad.room', 'demo'))
        .join(','),
    );
    writeFile(dir, 'again.csv', fixed.join('\n') + '\n');
    const again = await runCli(
      ['run', '--roster', join(dir, 'again.csv'), '--out', join(dir, 'again'), '--profile', 'ses', '--format', 'jsonl', ...ARGS],
      {},
    );
    expect(again.code).toBe(0);
    const second = manifestIn(join(dir, 'again'));
    expect(second).toMatchObject({ rows_read: 1, tokens_written: 1, rows_rejected: 0 });
  });
});
