import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, chmodSync, unlinkSync, copyFileSync, truncateSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, signRoster, KEY, DOMAIN_ID, NOW } from '../helpers.js';
import { createSigner } from '../../src/sign/signer.js';
import { keyFingerprint } from '../../src/sign/fingerprint.js';

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
    expect(result.stdout).toContain('1 token, 1 valid, 0 bad signatures, 0 claim mismatches, 1 expired');
  });

  it('fails on a wrong key with one line naming both keys by fingerprint, and never prints the key or a token', async () => {
    const file = await publish('room,name\ndemo,Ada\n');
    const other = 'f'.repeat(64);
    const result = await runCli(['verify', file, '--now', '2026-11-28T00:00:00Z'], { env: { DAILY_API_KEY: other } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `1 token does not verify with this key: signed with key ${keyFingerprint(KEY)}, yours is ${keyFingerprint(other)}\n` +
        'meeting-tokens: 1 of 1 token failed verification\n',
    );
    const token = readFileSync(file, 'utf8').split('\n')[1]!.split(',')[4]!;
    expect(result.stdout + result.stderr).not.toContain(token.split('.')[2]);
    expect(result.stdout + result.stderr).not.toContain(other);
  });

  it('fails when a row was edited after signing (claims no longer match), without a manifest to tell', async () => {
    const file = await publish('room,name\ndemo,Ada\ndemo,Bob\n');
    unlinkSync(file.replace(/\.csv$/, '.manifest.json'));
    chmodSync(file, 0o600);
    writeFileSync(file, readFileSync(file, 'utf8').replace(',Bob,', ',Mallory,'));
    const result = await runCli(['verify', file, '--now', '2026-11-28T00:00:00Z']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 3: token claims differ from the row: user_name/);
    expect(result.stdout).toContain('2 tokens, 1 valid, 0 bad signatures, 1 claim mismatch');
  });

  it('refuses a file that is not a tokens file', async () => {
    const dir = tempDir();
    const file = writeFile(dir, 'x.csv', 'a,b\n1,2\n');
    const result = await runCli(['verify', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a tokens file: no token, room_name/);
  });
});

describe('meeting-tokens verify against the manifest', () => {
  const AFTER = ['--now', '2026-11-28T00:00:00Z'];
  const roster = (rows: number): string =>
    ['email,room,name,id', ...Array.from({ length: rows }, (_, i) => `user${i}@example.com,room-${i % 7},Name ${i},u-${i}`)].join('\n');

  it('fails a tokens file cut short, before reading a token, saying what differs; the whole file passes', async () => {
    const file = await publish(roster(1000));
    const whole = await runCli(['verify', file, ...AFTER]);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain('1000 tokens, 1000 valid');
    const bytes = readFileSync(file);
    const cut = bytes.subarray(0, bytes.indexOf('\n') + 1 + bytes.toString().split('\n').slice(1, 101).join('\n').length + 1);
    chmodSync(file, 0o600);
    writeFileSync(file, cut);
    const result = await runCli(['verify', file, ...AFTER]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `meeting-tokens: ${file} is not the file ${file.replace(/\.csv$/, '.manifest.json')} records (truncated or edited?): ${cut.length} bytes, the manifest records ${bytes.length}\n`,
    );
  });

  it('fails a file of the same size with other bytes (SHA-256), and one whose manifest counts other rows', async () => {
    const file = await publish(roster(20));
    chmodSync(file, 0o600);
    writeFileSync(file, readFileSync(file, 'utf8').replace('user7@', 'userX@'));
    const edited = await runCli(['verify', file, ...AFTER]);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(
      /is not the file .*\.manifest\.json records \(truncated or edited\?\): SHA-256 [0-9a-f]{12}\.\.\., the manifest records [0-9a-f]{12}\.\.\.\n$/,
    );

    const other = await publish(roster(20));
    const manifestPath = other.replace(/\.csv$/, '.manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    chmodSync(manifestPath, 0o600);
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, tokens_written: 21 }));
    const miscounted = await runCli(['verify', other, ...AFTER]);
    expect(miscounted.code).toBe(1);
    expect(miscounted.stderr).toBe(`meeting-tokens: ${other} holds 20 token rows, ${manifestPath} records 21\n`);
  });

  it('--manifest names the manifest of a file copied elsewhere; without one, verify says what it could not check', async () => {
    const file = await publish(roster(3));
    const dir = join(tempDir(), 'copy');
    mkdirSync(dir);
    const copy = join(dir, 'tokens.csv');
    copyFileSync(file, copy);
    const alone = await runCli(['verify', copy, ...AFTER]);
    expect(alone.code).toBe(0);
    expect(alone.stderr).toBe(`${copy}: no manifest beside it (or --manifest): its size, checksum and token count are not checked\n`);
    const manifest = file.replace(/\.csv$/, '.manifest.json');
    expect((await runCli(['verify', copy, '--manifest', manifest, ...AFTER])).stderr).toBe('');
    truncateSync(copy, 200);
    const cut = await runCli(['verify', copy, '--manifest', manifest, ...AFTER]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/: 200 bytes, the manifest records \d+\n$/);
    const missing = await runCli(['verify', copy, '--manifest', join(dir, 'nope.json'), ...AFTER]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`meeting-tokens: manifest ${join(dir, 'nope.json')} cannot be read (ENOENT)\n`);
  });

  it('a wrong key: one summary line for any number of tokens; a batch of the demo key says so', async () => {
    const file = await publish(roster(300));
    const other = 'e'.repeat(64);
    const wrong = await runCli(['verify', file, ...AFTER], { env: { DAILY_API_KEY: other } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      `300 tokens do not verify with this key: signed with key ${keyFingerprint(KEY)}, yours is ${keyFingerprint(other)}\n` +
        'meeting-tokens: 300 of 300 tokens failed verification\n',
    );

    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    writeFile(join(dir, 'jobs'), 'demo.yaml', `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\ndemo_key: true\n`);
    const run = await runCli(['run', 'demo', '--jobs', join(dir, 'jobs'), '--now', NOW, '--log-level', 'silent'], {
      env: { DAILY_API_KEY: undefined },
    });
    expect(run.code).toBe(0);
    const demoFile = /-> (.*)\.manifest\.json/.exec(run.stdout)![1]! + '.csv';
    const demo = await runCli(['verify', demoFile, ...AFTER]);
    expect(demo.code).toBe(1);
    expect(demo.stderr).toBe(
      '1 token does not verify with this key: signed with the demo key\nmeeting-tokens: 1 of 1 token failed verification\n',
    );
  });

  it('a token that does not verify among good ones is named by line, once', async () => {
    const file = await publish(roster(5));
    unlinkSync(file.replace(/\.csv$/, '.manifest.json'));
    chmodSync(file, 0o600);
    const lines = readFileSync(file, 'utf8').split('\n');
    // One character of line 4's signature changed.
    lines[3] = lines[3]!.replace(/(eyJ[\w-]+\.[\w-]+\.[\w-]{5})([\w-])/, (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'));
    writeFileSync(file, lines.join('\n'));
    const result = await runCli(['verify', file, ...AFTER]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^.*no manifest beside it.*\n1 token does not verify with this key \(line 4\)\nmeeting-tokens: 1 of 5 tokens failed verification\n$/,
    );
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
