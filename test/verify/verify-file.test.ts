import { describe, expect, it } from 'vitest';
import { verifyTokensFile } from '../../src/verify/verify-file.js';
import { createSigner } from '../../src/sign/signer.js';
import { isoSeconds } from '../../src/output/columns.js';
import { tempDir, writeFile, KEY, DOMAIN_ID, NOW_S } from '../helpers.js';

const OTHER_DOMAIN = '11111111-2222-3333-4444-555555555555';
const sign = createSigner(KEY);
const EXP = NOW_S + 3600;

/** A tokens file with one row per room: the join link names `linkRoom`, the token `d` is `domain`. */
function tokensFile(rows: { room: string; linkRoom?: string; domain?: string }[]): string {
  const lines = ['room_name,user_name,user_id,is_owner,token,join_url,not_before,expires_at,exp'];
  for (const { room, linkRoom = room, domain = DOMAIN_ID } of rows) {
    const token = sign({ r: room, d: domain, iat: NOW_S, exp: EXP });
    lines.push(`${room},,,false,${token},https://acme.daily.co/${linkRoom}?t=${token},,${isoSeconds(EXP)},${EXP}`);
  }
  return writeFile(tempDir(), 'tokens.csv', lines.join('\n') + '\n');
}

const now = new Date(NOW_S * 1000);

describe('verify compares every claim with its row', () => {
  it('a join link to another room than the token is a mismatch, even with the right token in it', async () => {
    const report = await verifyTokensFile(tokensFile([{ room: 'demo' }, { room: 'demo', linkRoom: 'elsewhere' }]), KEY, { now });
    expect(report).toMatchObject({ rows: 2, valid: 1, mismatched: 1, problems: ['line 3: token claims differ from the row: join_url'] });
  });

  it('a token of another domain than the manifest names is a mismatch, not just one without a domain', async () => {
    const file = tokensFile([{ room: 'demo' }, { room: 'demo', domain: OTHER_DOMAIN }]);
    const report = await verifyTokensFile(file, KEY, { now, domainId: DOMAIN_ID });
    expect(report).toMatchObject({ rows: 2, valid: 1, mismatched: 1, problems: ['line 3: token claims differ from the row: domain_id'] });
    expect(await verifyTokensFile(file, KEY, { now })).toMatchObject({ valid: 2, mismatched: 0 });
  });

  it('a wrong key fails every token and lists their lines, never as a problem line each', async () => {
    const report = await verifyTokensFile(tokensFile([{ room: 'a' }, { room: 'b' }, { room: 'c' }]), 'f'.repeat(64), { now });
    expect(report).toMatchObject({ rows: 3, valid: 0, badSignature: 3, badSignatureLines: [2, 3, 4], problems: [] });
  });
});
