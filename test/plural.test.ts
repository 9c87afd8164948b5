import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { plural } from '../src/plural.js';
import { DOMAIN_ID, NOW, runCli, tempDir, writeFile } from './helpers.js';

describe('counts in messages', () => {
  it('name one thing in the singular, any other number in the plural', () => {
    expect(plural(1, 'token')).toBe('1 token');
    expect(plural(0, 'token')).toBe('0 tokens');
    expect(plural(2, 'row repeats', 'rows repeat')).toBe('2 rows repeat');
    expect(plural(1, 'row repeats', 'rows repeat')).toBe('1 row repeats');
    expect(plural(1, 'claim mismatch', 'claim mismatches')).toBe('1 claim mismatch');
  });

  it('a run of one row says "1 token"; one repeated row "1 repeats"; verify "1 token", "1 bad signature"', async () => {
    const dir = tempDir();
    const sign = (name: string, text: string) =>
      runCli([
        'run',
        '--roster',
        writeFile(dir, name, text),
        '--out',
        join(dir, 'out'),
        '--domain-id',
        DOMAIN_ID,
        '--now',
        NOW,
        '--allow-expired',
      ]);
    const one = await sign('one.csv', 'room,id\na,x\n');
    expect(one.stdout).toMatch(/^done: 1 token, 0 rejected -> /);
    const twice = await sign('twice.csv', 'room,id\na,x\na,x\n');
    expect(twice.stdout).toMatch(/^done: 2 tokens, 0 rejected, 1 repeats an earlier \(room, user_id\) -> /);
    expect(twice.stderr).toContain('1 row repeats the (room, user_id) of an earlier row (1 pair; signed all the same)');
    const tokens = one.stdout.replace(/^.* -> (.*)\.manifest\.json\n$/, '$1.csv');
    const verified = await runCli(['verify', tokens, '--now', NOW], { env: { DAILY_API_KEY: 'f'.repeat(64) } });
    expect(verified.stdout).toBe(`${tokens}: 1 token, 0 valid, 1 bad signature, 0 claim mismatches, 0 expired, 0 not yet valid\n`);
    expect(verified.stderr).toMatch(/1 of 1 token failed verification\n$/);
  });
});
