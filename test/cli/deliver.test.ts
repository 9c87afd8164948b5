// A job's deliver: list end to end through the CLI: run delivers after publishing, a failed
// delivery exits 1 with the batch published, `deliver <manifest>` re-sends, --no-deliver skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { DOMAIN_ID, NOW, runCli, tempDir, writeFile } from '../helpers.js';
import { startSshd, type Sshd } from '../deliver/sshd.js';
import { startS3, type S3Standin } from '../deliver/s3-server.js';
import { lastRun } from '../../src/state/history.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let sshd: Sshd;
let s3: S3Standin;
let env: Record<string, string>;
beforeAll(async () => {
  [sshd, s3] = await Promise.all([startSshd(), startS3(['tokens'])]);
  env = { SFTP_KEY_FILE: sshd.keyFile, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: 'us-east-1' };
}, 60_000);
afterAll(async () => {
  await sshd?.kill();
  await s3?.close();
});

function job(dir: string, name: string, deliver: string): void {
  writeFile(dir, 'roster.csv', 'email,room\na@example.com,room1\nb@example.com,room2\nbad,room with space\n');
  writeFile(dir, `${name}.yaml`, `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndeliver:\n${deliver}`);
}

const sftpEntry = (remote: string): string =>
  `  - url: sftp://${sshd.user}@127.0.0.1:${sshd.port}${remote}\n    host_key: ${sshd.hostKeyFingerprint}\n    key_env: SFTP_KEY\n    backoff: 1s\n`;
const s3Entry = (url: string): string => `  - url: ${url}\n    endpoint: ${s3.endpoint}\n    force_path_style: true\n    backoff: 1s\n`;

describe('run with deliver:', () => {
  it('publishes, then delivers to SFTP and S3; the result, the delivery record and the history say so', async () => {
    const dir = tempDir();
    const remote = join(tempDir('mt-remote-'), 'drop');
    job(dir, 'weekly', sftpEntry(remote) + s3Entry('s3://tokens/weekly'));
    const r = await runCli(['run', 'weekly', '--jobs', dir, '--state', join(dir, 'state'), '--now', NOW, '--json'], { env });
    expect(r.stderr).not.toContain('meeting-tokens:');
    expect(r.stderr).not.toContain('Warning'); // every stderr line is a JSON log line (the SDK's Node-version warning is off)
    for (const line of r.stderr.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.deliveries).toMatchObject([
      { destination: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${remote}`, status: 'delivered', attempts: 1, files_delivered: 3 },
      { destination: 's3://tokens/weekly', status: 'delivered', attempts: 1, files_delivered: 3 },
    ]);
    const published = readdirSync(join(dir, 'out')).sort();
    expect(published.filter((n) => n.endsWith('.delivery.json'))).toHaveLength(1);
    expect(readdirSync(remote).sort()).toEqual(published.filter((n) => !n.endsWith('.delivery.json')));
    const record = JSON.parse(
      readFileSync(
        join(
          dir,
          'out',
          published.find((n) => n.endsWith('.delivery.json'))!,
        ),
        'utf8',
      ),
    );
    expect(record.deliveries).toEqual(result.deliveries);
    const history = await lastRun(join(dir, 'state'), 'weekly');
    expect(history).toMatchObject({ status: 'done', deliveries: result.deliveries });
  }, 120_000);

  it('a failed delivery exits 1 after the batch is published, in one line; deliver re-sends it; --no-deliver skips', async () => {
    const dir = tempDir();
    job(dir, 'later', s3Entry('s3://later-bucket/x'));
    const state = join(dir, 'state');
    const r = await runCli(['run', 'later', '--jobs', dir, '--state', state, '--now', NOW], { env });
    expect(r.code).toBe(1);
    const manifest = join(
      dir,
      'out',
      readdirSync(join(dir, 'out')).find((n) => n.endsWith('.manifest.json'))!,
    );
    expect(r.stdout).toContain(`done: 2 tokens, 1 rejected -> ${manifest}`);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('meeting-tokens:'));
    expect(lines).toHaveLength(1);
    expect(r.stderr).not.toContain('non-retryable'); // the SDK writes nothing of its own on stderr
    expect(lines[0]).toMatch(
      new RegExp(
        `^meeting-tokens: published ${manifest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; delivery s3://later-bucket/x failed after 1 try \\(NoSuchBucket: `,
      ),
    );
    expect(await lastRun(state, 'later')).toMatchObject({ status: 'done', deliveries: [{ status: 'failed', attempts: 1 }] });

    const admin = new S3Client({
      endpoint: s3.direct,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: SECRET },
    });
    await admin.send(new CreateBucketCommand({ Bucket: 'later-bucket' }));
    admin.destroy();
    const again = await runCli(['deliver', manifest, '--jobs', dir, '--state', state], { env });
    expect(again.stderr).not.toContain('meeting-tokens:');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('delivered: 3 files -> s3://later-bucket/x\n');
    const record = JSON.parse(readFileSync(manifest.replace('.manifest.json', '.delivery.json'), 'utf8'));
    expect(record.deliveries).toMatchObject([{ destination: 's3://later-bucket/x', status: 'delivered', attempts: 1 }]);
    // The re-send is in the history, and is not taken for the job's last run.
    const historyLines = readFileSync(join(state, 'later.history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(historyLines.at(-1)).toMatchObject({
      redelivery_of: manifest.split('/').pop(),
      status: 'done',
      deliveries: [{ status: 'delivered' }],
    });
    expect(await lastRun(state, 'later')).toMatchObject({ tokens_written: 2 });

    const unknown = await runCli(['deliver', manifest, '--jobs', dir, '--state', state, '--to', 's3://other/x'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      `meeting-tokens: --to s3://other/x: not a destination of job later; its destinations: s3://later-bucket/x\n`,
    );

    const skipped = await runCli(['run', 'later', '--jobs', dir, '--state', state, '--now', NOW, '--no-deliver'], { env });
    expect(skipped.code).toBe(0);
    // Published, not delivered: no delivery record (retention removed the first batch, expired, record and all).
    const names = readdirSync(join(dir, 'out'));
    expect(names).toContain(manifest.split('/').pop()!.replace('.manifest.json', '_02.manifest.json'));
    expect(names.filter((n) => n.endsWith('.delivery.json'))).toEqual([]);
  }, 120_000);

  it('a destination that would trust on first use, or carries a password, is refused at start (exit 2)', async () => {
    const dir = tempDir();
    job(dir, 'tofu', `  - url: sftp://u@127.0.0.1:22/x\n    key_file: k\n`);
    const tofu = await runCli(['run', 'tofu', '--jobs', dir, '--state', join(dir, 'state'), '--now', NOW], { env });
    expect(tofu.code).toBe(2);
    expect(tofu.stderr).toContain('give host_key or known_hosts (one of them): a host key is never trusted on first use');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    job(dir, 'pw', `  - url: sftp://u:hunter2secret@127.0.0.1:22/x\n    host_key: ${sshd.hostKeyFingerprint}\n    key_file: k\n`);
    const pw = await runCli(['run', 'pw', '--jobs', dir, '--state', join(dir, 'state'), '--now', NOW], { env });
    expect(pw.code).toBe(2);
    expect(pw.stderr).toContain('must not carry a password');
    expect(pw.stderr).not.toContain('hunter2secret');
  });
});
