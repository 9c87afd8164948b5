import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { runCli, tempDir, writeFile, signRoster, KEY, DOMAIN_ID, NOW } from '../helpers.js';
import { createSigner } from '../../src/sign/signer.js';

async function publish(roster: string): Promise<string> {
  const { result, tokensFile } = await signRoster(roster, ['--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--now', NOW]);
  expect(result.code).toBe(0);
  return tokensFile;
}

describe('meeting-tokens verify', () => {
  it('accepts every token of a published file', async () => {
    const file = await publish('email,room,name,id,owner\na@x.io,demo,Ada,u-1,yes\n-b@x.io,-dash,=Bob,+1,no\n');
    const result = await runCli(['verify', file, '--now', '2026-11-28T00:00:00Z']);
    expect(result.stdout).toBe(`${file}: 2 tokens, 2 valid, 0 bad signatures, 0 claim mismatches, 0 expired, 0 not yet valid\n`);
    expect(result.code).toBe(0);
  });

  it('counts expired tokens without failing, once their signature is good', async () => {
    const file = await publish('room\ndemo\n');
    const result = await runCli(['verify', file, '--now', '2027-06-01T00:00:00Z']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 tokens, 1 valid, 0 bad signatures, 0 claim mismatches, 1 expired');
  });

  it('fails on a wrong key, and never prints the key or a token', async () => {
    const file = await publish('room,name\ndemo,Ada\n');
    const other = 'f'.repeat(64);
    const result = await runCli(['verify', file, '--now', '2026-11-28T00:00:00Z'], { env: { DAILY_API_KEY: other } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2: signature does not verify with this key/);
    expect(result.stderr).toMatch(/1 of 1 tokens failed verification/);
    const token = readFileSync(file, 'utf8').split('\n')[1]!.split(',')[4]!;
    expect(result.stdout + result.stderr).not.toContain(token.split('.')[2]);
    expect(result.stdout + result.stderr).not.toContain(other);
  });

  it('fails when a row was edited after signing (claims no longer match)', async () => {
    const file = await publish('room,name\ndemo,Ada\ndemo,Bob\n');
    chmodSync(file, 0o600);
    writeFileSync(file, readFileSync(file, 'utf8').replace(',Bob,', ',Mallory,'));
    const result = await runCli(['verify', file, '--now', '2026-11-28T00:00:00Z']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 3: token claims differ from the row: user_name/);
    expect(result.stdout).toContain('2 tokens, 1 valid, 0 bad signatures, 1 claim mismatches');
  });

  it('refuses a file that is not a tokens file', async () => {
    const dir = tempDir();
    const file = writeFile(dir, 'x.csv', 'a,b\n1,2\n');
    const result = await runCli(['verify', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a tokens file: no token, room_name/);
  });
});

describe('meeting-tokens decode', () => {
  const token = createSigner(KEY)({
    r: 'demo',
    d: DOMAIN_ID,
    iat: 1795773600,
    nbf: 1795773600,
    exp: 1796378400,
    u: 'Ada',
    o: true,
    vo: true,
    uil: 'de',
    p: { hp: true },
  });

  it('prints claims with long names and ISO times', async () => {
    const result = await runCli(['decode', token]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      header: { alg: 'HS256', typ: 'JWT' },
      room_name: 'demo',
      domain_id: DOMAIN_ID,
      iat: 1795773600,
      issued_at: '2026-11-27T10:00:00Z',
      nbf: 1795773600,
      not_before: '2026-11-27T10:00:00Z',
      exp: 1796378400,
      expires_at: '2026-12-04T10:00:00Z',
      user_name: 'Ada',
      is_owner: true,
      start_video_off: true,
      lang: 'de',
      permissions: { hp: true },
    });
  });

  it('reads the token from standard input with -, and refuses garbage with one line', async () => {
    expect(JSON.parse((await runCli(['decode', '-'], { input: `${token}\n` })).stdout)['room_name']).toBe('demo');
    const bad = await runCli(['decode', 'not.a.token']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('meeting-tokens: not a JWT: expected three base64url parts separated by dots\n');
  });
});

describe('meeting-tokens (top level)', () => {
  it('--help lists the commands and exit codes; an unknown command is a usage error', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const word of ['run', 'verify', 'decode', 'DAILY_API_KEY_FILE', 'Exit codes']) expect(help.stdout).toContain(word);
    const unknown = await runCli(['sign']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('meeting-tokens: unknown command "sign"; see meeting-tokens --help\n');
  });
});
