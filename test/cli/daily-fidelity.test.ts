import { describe, expect, it } from 'vitest';
import { payloadOf, readCsv, signRoster, DOMAIN_ID, NOW } from '../helpers.js';

const ARGS = ['--domain-id', DOMAIN_ID, '--now', NOW, '--max-reject-ratio', '1'];

describe('Daily fidelity, end to end', () => {
  it('signs permissions with documented short keys only and rejects, with a reason, a row whose part has none', async () => {
    const roster = [
      'room,name,permissions',
      'r1,Ann,"{""hasPresence"":true,""canSend"":[""audio""],""canReceive"":{""base"":false}}"',
      'r2,Bob,"{""canReceive"":{""base"":false,""byUserId"":{""u-1"":true}}}"',
      'r3,Cy,"{""hp"":false,""cs"":""v,a""}"',
      'r4,Di,"{""canSend"":[]}"',
      '',
    ].join('\n');
    const { result, tokensFile } = await signRoster(roster, ARGS);
    expect(result.code).toBe(0);
    const tokens = readCsv(tokensFile);
    expect(tokens.map((row) => [row['user_name'], payloadOf(row['token']!)['p']])).toEqual([
      ['Ann', { hp: true, cs: 'a', cr: { b: false } }],
      ['Cy', { hp: false, cs: 'v,a' }],
      ['Di', { cs: false }],
    ]);
    const rejects = readCsv(tokensFile.replace(/\.csv$/, '.rejects.csv'));
    expect(rejects.map((row) => [row['line'], row['reason']])).toEqual([
      [
        '3',
        'permissions.canReceive.byUserId: Daily documents no abbreviation for it in self-signed tokens, so it cannot be signed; only canReceive.base as true or false can be (abbreviated {"cr":{"b":false}})',
      ],
    ]);
  });

  it('refuses a roster column self-signed tokens cannot carry, before any row is read (exit 2)', async () => {
    const { result } = await signRoster('room,name,enable_live_captions_ui\nr1,Ann,true\n', ARGS);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'roster header: column 3 ("enable_live_captions_ui"): enable_live_captions_ui cannot be carried by a self-signed token (Daily documents no abbreviation for it); set it on the room or the domain instead',
    );
  });

  it('--max-token-length rejects longer tokens; a value outside 256 to 8192 is a usage error', async () => {
    const roster = `room,name\nr1,Ann\nr2,${'x'.repeat(300)}\n`;
    const { result, tokensFile } = await signRoster(roster, [...ARGS, '--max-token-length', '400']);
    expect(result.code).toBe(0);
    expect(readCsv(tokensFile).map((row) => row['user_name'])).toEqual(['Ann']);
    const rejects = readCsv(tokensFile.replace(/\.csv$/, '.rejects.csv'));
    expect(rejects[0]!['reason']).toMatch(/^token: \d+ characters, max_token_length is 400; /);

    const bad = await signRoster(roster, [...ARGS, '--max-token-length', '100']);
    expect(bad.result.code).toBe(2);
    expect(bad.result.stderr).toContain('--max-token-length: a whole number from 256 to 8192');
  });
});
