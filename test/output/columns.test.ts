import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputHeaders, tokensHeader, rejectsHeader } from '../../src/output/columns.js';
import { planColumns } from '../../src/claims/column-plan.js';
import { runCli, tempDir, writeFile, DOMAIN_ID } from '../helpers.js';

const plan = (headers: string[], columns?: Record<string, string>) => planColumns(headers, { roomOptional: false, columns });

describe('output headers never hold one name twice', () => {
  it('refuses a passthrough column named like a column of the tokens file, in any case, with or without join links', () => {
    for (const name of ['token', 'join_url', 'exp', ' Token ', 'JOIN_URL']) {
      expect(() => checkOutputHeaders(plan(['room', 'email', name])), name).toThrow(
        expect.objectContaining({
          code: 'ROSTER_HEADER',
          message: `roster header: column 3 ("${name}") would pass through under the name of the tokens file's own ${name.trim().toLowerCase()} column; rename it in the roster`,
        }),
      );
    }
    // room_name, expires_at, not_before pass through when columns: maps another header to them.
    for (const name of ['room_name', 'expires_at', 'not_before', 'user_id']) {
      const mapped = { room_name: 'Meeting', expires_at: 'Ends', not_before: 'Starts', user_id: 'Badge' };
      expect(() => checkOutputHeaders(plan(['Meeting', 'Ends', 'Starts', 'Badge', name], mapped)), name).toThrow(/column 5/);
    }
  });

  it('refuses two passthrough columns of one name, and a roster column named like the rejects file own ones', () => {
    expect(() => checkOutputHeaders(plan(['room', 'email', 'Email']))).toThrow(
      'roster header: columns 2 ("email") and 3 ("Email") would pass through under one name; rename it in the roster',
    );
    expect(() => checkOutputHeaders(plan(['room', 'Reason']))).toThrow(
      `roster header: column 2 ("Reason") has the name of the rejects file's own reason column; rename it in the roster`,
    );
    expect(() => checkOutputHeaders(plan(['line', 'room']))).toThrow(/column 1 \("line"\)/);
  });

  it('accepts every other roster, whose output headers then have distinct names', () => {
    const ok = plan(['room', 'name', 'email', 'first_name', 'expires_at', 'lang']);
    expect(() => checkOutputHeaders(ok)).not.toThrow();
    for (const header of [tokensHeader(ok, true), rejectsHeader(ok.headers)]) expect(new Set(header).size).toBe(header.length);
  });

  it('run: a roster with its own join_url column exits 2 naming it, before signing, and publishes nothing', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name,join_url\ndemo,Ada,https://evil.example/phish\n');
    const out = join(dir, 'out');
    const result = await runCli([
      'run',
      '--roster',
      join(dir, 'roster.csv'),
      '--out',
      out,
      '--domain-id',
      DOMAIN_ID,
      '--domain-name',
      'acme',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `meeting-tokens: roster header: column 3 ("join_url") would pass through under the name of the tokens file's own join_url column; rename it in the roster\n`,
    );
    expect(readdirSync(out)).toEqual([]);
  });
});
