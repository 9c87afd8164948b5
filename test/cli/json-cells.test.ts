import { describe, expect, it } from 'vitest';
import { readCsv, signRoster, DOMAIN_ID, NOW } from '../helpers.js';

describe('object cells (permissions, start_cloud_recording_opts)', () => {
  it('a cell nested 20,000 levels deep rejects its row with a reason; the rest of the batch publishes', async () => {
    const deep = '{""a"":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const roster = `room,name,start_cloud_recording_opts,permissions\nr1,Ann,"${deep}",\nr2,Bob,,"{""hp"":true}"\nr3,Cy,,"${deep}"\n`;
    for (const workers of ['0', '2']) {
      const { result, tokensFile } = await signRoster(roster, [
        '--domain-id',
        DOMAIN_ID,
        '--now',
        NOW,
        '--max-reject-ratio',
        '1',
        '--workers',
        workers,
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^done: 1 token, 2 rejected -> /);
      expect(readCsv(tokensFile).map((row) => row['user_name'])).toEqual(['Bob']);
      const rejects = readCsv(tokensFile.replace(/\.csv$/, '.rejects.csv'));
      expect(rejects.map((row) => [row['line'], row['reason']])).toEqual([
        ['2', 'start_cloud_recording_opts: 120001 characters of JSON, at most 2048 (Daily advises tokens of at most 2048)'],
        ['4', 'permissions: 120001 characters of JSON, at most 2048 (Daily advises tokens of at most 2048)'],
      ]);
    }
  });
});
