import { describe, expect, it } from 'vitest';
import { createSigner } from '../../src/sign/signer.js';
import { DOMAIN_ID, KEY, runCli } from '../helpers.js';

describe('meeting-tokens decode <join link>', () => {
  const token = createSigner(KEY)({ r: 'demo', d: DOMAIN_ID, iat: 1795773600, exp: 1796378400, u: 'Ada' });
  const link = `https://acme.daily.co/demo?t=${token}`;

  it('decodes the token in a join link as it decodes the bare token, from an argument or standard input', async () => {
    const bare = await runCli(['decode', token]);
    const fromLink = await runCli(['decode', link]);
    expect(fromLink.code).toBe(0);
    expect(fromLink.stdout).toBe(bare.stdout);
    expect(JSON.parse(fromLink.stdout)).toMatchObject({ room_name: 'demo', user_name: 'Ada', expires_at: '2026-12-04T10:00:00Z' });
    expect((await runCli(['decode', '-'], { input: `${link}\n` })).stdout).toBe(bare.stdout);
  });

  it('a link without a token is one line naming the link, exit 1', async () => {
    const result = await runCli(['decode', 'https://acme.daily.co/demo?x=1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('meeting-tokens: join link https://acme.daily.co/demo has no token (no t= parameter)\n');
  });
});
