import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { signRoster, DOMAIN_ID, NOW_S, NOW } from '../helpers.js';
import { isoSeconds } from '../../src/output/columns.js';

const DAY = 86400;

describe('manifest', () => {
  it('exp_min and exp_max are the earliest and latest expiry of the tokens written, wherever they sit in the roster', async () => {
    const at = (days: number): string => isoSeconds(NOW_S + days * DAY);
    // Chunks of 64 KiB: padding puts rows in several chunks, the latest expiry in a middle one.
    const pad = 'x'.repeat(40_000);
    const roster = [
      'room,note,expires_at',
      `a,${pad},${at(2)}`,
      `b,${pad},${at(5)}`,
      `c,${pad},${at(1)}`,
      `d,${pad},`,
      `e,${pad},${at(4)}`,
    ].join('\n');
    for (const workers of ['0', '2']) {
      const { result, tokensFile } = await signRoster(roster, [
        '--domain-id',
        DOMAIN_ID,
        '--now',
        NOW,
        '--ttl',
        '3d',
        '--workers',
        workers,
      ]);
      expect(result.code).toBe(0);
      const manifest = JSON.parse(readFileSync(tokensFile.replace(/\.csv$/, '.manifest.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest).toMatchObject({ tokens_written: 5, exp_min: at(1), exp_max: at(5) });
    }
  });
});
