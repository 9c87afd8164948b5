import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, DOMAIN_ID, NOW, KEY, hmacValid } from '../helpers.js';

const STAMP = '20261127T100000Z';

/** A roster of ~3 MB with a bad row of a different kind every so often, and repeated (room, id) pairs. */
function roster(rows: number): string {
  const lines = ['email,room,name,id,owner,lang,expires_at'];
  for (let i = 0; i < rows; i++) {
    const bad = i % 997;
    // Every 1000th row repeats the (room, id) of the row 700 before it.
    const pair = i % 1000 === 999 ? i - 700 : i;
    const room = bad === 1 ? 'bad room' : `room-${pair % 300}`;
    const name = bad === 2 ? 'Stray "quote"' : i % 3 === 0 ? `"Lovelace, Ada ""${i}"""` : `Name ${i}`;
    const id = bad === 3 ? 'x'.repeat(40) : `id-${pair}`;
    const owner = bad === 4 ? 'maybe' : i % 50 === 0 ? 'yes' : 'no';
    const lang = bad === 5 ? 'xx' : i % 7 === 0 ? 'fr' : '';
    const exp = bad === 6 ? '2020-01-01T00:00:00Z' : '';
    const line = `=user${i}@example.com,${room},${name},${id},${owner},${lang},${exp}`;
    lines.push(bad === 7 ? `${line},extra` : line);
  }
  return lines.join('\r\n') + '\r\n';
}

describe('parallel signing', () => {
  it('gives byte-identical tokens and rejects files with 0, 1, 2, 3 and 4 worker threads, and by default', async () => {
    const dir = tempDir();
    const path = join(dir, 'roster.csv');
    writeFileSync(path, roster(45_000));
    const outputs: Record<string, { tokens: Buffer; rejects: Buffer; manifest: Record<string, unknown> }> = {};
    for (const workers of ['0', '1', '2', '3', '4', 'default']) {
      const out = join(dir, `out-${workers}`);
      const args = [
        'run',
        '--roster',
        path,
        '--out',
        out,
        '--domain-id',
        DOMAIN_ID,
        '--domain-name',
        'acme',
        '--now',
        NOW,
        '--log-level',
        'info',
      ];
      if (workers !== 'default') args.push('--workers', workers);
      const result = await runCli(args);
      expect(result.code).toBe(0);
      const started = result.stderr.split('\n').find((l) => l.includes('"msg":"run started'));
      expect(JSON.parse(started!).workers).toEqual(workers === 'default' ? expect.any(Number) : Number(workers));
      outputs[workers] = {
        tokens: readFileSync(join(out, `roster-${STAMP}.csv`)),
        rejects: readFileSync(join(out, `roster-${STAMP}.rejects.csv`)),
        manifest: JSON.parse(readFileSync(join(out, `roster-${STAMP}.manifest.json`), 'utf8')),
      };
    }
    const single = outputs['0']!;
    expect(single.manifest).toMatchObject({ rows_read: 45_000, invariant_ok: true });
    expect(single.manifest['rows_rejected']).toBe(7 * 46); // bad kinds 1-7, each 46 times in 45,000 rows
    for (const [workers, output] of Object.entries(outputs)) {
      expect(output.tokens.equals(single.tokens), `tokens with ${workers} workers`).toBe(true);
      expect(output.rejects.equals(single.rejects), `rejects with ${workers} workers`).toBe(true);
      expect(output.manifest['files']).toEqual(single.manifest['files']);
      expect(output.manifest['duplicates'], `duplicates with ${workers} workers`).toEqual(single.manifest['duplicates']);
    }
    const rows = parse(single.tokens, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(45_000 - 7 * 46);
    expect(rows.every((row) => hmacValid(row['token']!, KEY))).toBe(true);
    expect(rows[0]!['email']).toBe("'=user0@example.com"); // formula guard on the parallel path too
    // The repeats, counted the obvious way from the published rows.
    const seen = new Set<string>();
    const repeats = rows.filter((row) => {
      const key = `${row['room_name']}\n${row['user_id']}`;
      return seen.has(key) || !seen.add(key);
    });
    expect(repeats.length).toBeGreaterThan(40);
    expect(single.manifest['duplicates']).toMatchObject({ rows: repeats.length, pairs: repeats.length });
  }, 120_000);
});
