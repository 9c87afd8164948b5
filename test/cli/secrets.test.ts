import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, DOMAIN_ID, NOW } from '../helpers.js';

// A key nobody could mistake for anything else (64 hex digits, as Daily's keys), searched for in
// every form it could leak in.
const SECRET = 'feedfacedeadbeef5ec2e70123456789abcdef0123456789abcdef0d0cafe0ff';
const FORMS = [
  SECRET,
  Buffer.from(SECRET).toString('hex'),
  Buffer.from(SECRET).toString('base64').replace(/=+$/, ''),
  Buffer.from(SECRET).toString('base64url'),
];
const ROW_MARKER = 'Row-Marker-7f3a9c';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the API key never leaks', () => {
  it('appears in no output, manifest, state file, log line (debug level) or message, in any encoding', async () => {
    const dir = tempDir();
    writeFile(dir, 'good.csv', `room,name\ndemo,${ROW_MARKER}\nbad room,x\n`);
    writeFile(dir, 'bad.csv', `room,name\nx,"${ROW_MARKER}\n`);
    writeFile(dir, 'rejects.csv', `room,name\nbad room,${ROW_MARKER}\n`);
    writeFile(dir, 'repeats.csv', `room,id,name\ndemo,${ROW_MARKER},a\ndemo,${ROW_MARKER},b\n`);
    const env = { DAILY_API_KEY: SECRET };
    const common = ['--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--log-level', 'debug'];
    const results = [
      await runCli(['run', '--roster', join(dir, 'good.csv'), ...common, '--now', NOW], { env, cwd: dir }),
      await runCli(['run', '--roster', join(dir, 'bad.csv'), ...common], { env, cwd: dir }),
      await runCli(['run', '--roster', join(dir, 'rejects.csv'), ...common], { env, cwd: dir }),
      await runCli(['run', '--roster', join(dir, 'good.csv'), ...common, '--now', '2026-01-01T00:00:00Z'], {
        env,
        cwd: dir,
        expiredCheck: true,
      }), // all expired
      await runCli(['run', '--roster', join(dir, 'good.csv'), ...common], { env: { DAILY_API_KEY: SECRET.slice(0, 20) }, cwd: dir }), // weak key
      await runCli(['run', '--roster', join(dir, 'repeats.csv'), ...common], { env, cwd: dir }), // duplicates warned about
      await runCli(['run', '--roster', join(dir, 'good.csv'), ...common, '--out', dir], { env, cwd: dir }), // out holds the roster
    ];
    expect(results.map((r) => r.code)).toEqual([0, 1, 3, 2, 2, 0, 2]);
    expect(results[5]!.stderr).toContain('1 row repeats the (room, user_id) of an earlier row');
    const tokensFile = filesUnder(join(dir, 'out')).find((f) => f.endsWith('Z.csv'))!;
    results.push(await runCli(['verify', tokensFile], { env: { DAILY_API_KEY: SECRET.replace('feed', 'fee0') }, cwd: dir })); // wrong key

    const texts = [
      ...results.flatMap((r) => [r.stdout, r.stderr]),
      ...filesUnder(dir)
        .filter((f) => !f.endsWith('.csv') || f.includes('/out/'))
        .map((f) => readFileSync(f, 'utf8')),
    ];
    for (const form of FORMS) {
      for (const text of texts) expect(text.includes(form), `found ${form.slice(0, 12)}...`).toBe(false);
    }
    // No roster row in log lines or messages either.
    for (const r of results) expect(r.stderr).not.toContain(ROW_MARKER);
  });

  it('is searched for after every CLI run of the test suite: a key in any form in output or a new file fails the test', async () => {
    const dir = tempDir();
    const printer = writeFile(
      dir,
      'prints-key.mjs',
      `process.stdout.write('x' + Buffer.from(process.env.DAILY_API_KEY).toString('base64url'));`,
    );
    await expect(runCli([], { cli: printer, env: { DAILY_API_KEY: SECRET } })).rejects.toThrow(/the API key leaked: in stdout/);
    const writer = writeFile(
      dir,
      'writes-key.mjs',
      `import { writeFileSync } from 'node:fs'; writeFileSync(process.argv[2], Buffer.from(process.env.DAILY_API_KEY).toString('hex'));`,
    );
    await expect(runCli([join(dir, 'out.txt')], { cli: writer, env: { DAILY_API_KEY: SECRET } })).rejects.toThrow(
      `the API key leaked: in ${join(dir, 'out.txt')}`,
    );
    // Delivery secrets too: S3 credentials and an SSH key given as a *_FILE secret (line by line).
    const awsPrinter = writeFile(dir, 'prints-aws.mjs', `process.stderr.write('s=' + process.env.AWS_SECRET_ACCESS_KEY.slice(3, 20));`);
    await expect(
      runCli([], { cli: awsPrinter, env: { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } }),
    ).rejects.toThrow(/the API key leaked: in stderr/);
    const sshKey = writeFile(
      dir,
      'id_test',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBqZ2V0dGhpc2lzbm90YXJlYWxrZXlidXRsb25nZW5vdWdoAAAAmH4kA\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    const sshPrinter = writeFile(
      dir,
      'prints-ssh.mjs',
      `import { readFileSync } from 'node:fs'; process.stdout.write(readFileSync(process.env.SFTP_KEY_FILE, 'utf8').split('\\n')[2].slice(10, 40));`,
    );
    await expect(runCli([], { cli: sshPrinter, env: { SFTP_KEY_FILE: sshKey } })).rejects.toThrow(/the API key leaked: in stdout/);
    // The key file a test writes itself, in a directory the run looks at, is not a leak.
    const keyFile = writeFile(dir, 'key', SECRET);
    const status = await runCli(['status', '--jobs', dir], { env: { DAILY_API_KEY: undefined, DAILY_API_KEY_FILE: keyFile } });
    expect(status.stderr).toBe(`meeting-tokens: no job files (*.yaml) in ${dir}/; give --jobs <dir> or set MEETING_TOKENS_JOBS\n`);
  });
});
