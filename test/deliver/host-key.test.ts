import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';
import { knownHostsRefusal, sha256Fingerprint } from '../../src/deliver/host-key.js';
import { deliverSchemas, parseS3Url, parseSftpUrl } from '../../src/config/deliver-schema.js';

function key(dir: string, name: string): { blob: Buffer; line: string; fingerprint: string } {
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name)]);
  const line = readFileSync(join(dir, `${name}.pub`), 'utf8')
    .split(' ')
    .slice(0, 2)
    .join(' ');
  const fingerprint = spawnSync('ssh-keygen', ['-lf', join(dir, `${name}.pub`)], { encoding: 'utf8' }).stdout.split(' ')[1]!;
  return { blob: Buffer.from(line.split(' ')[1]!, 'base64'), line, fingerprint };
}

describe('host key pinning', () => {
  it('computes the fingerprint ssh-keygen prints', () => {
    const k = key(tempDir(), 'k');
    expect(sha256Fingerprint(k.blob)).toBe(k.fingerprint);
  });

  it('reads known_hosts as OpenSSH does: plain, [host]:port, wildcards, hashed names (ssh-keygen -H), @revoked', () => {
    const dir = tempDir();
    const good = key(dir, 'good');
    const other = key(dir, 'other');
    expect(knownHostsRefusal(`files.example.com ${good.line}\n`, 'files.example.com', 22, good.blob)).toBeUndefined();
    expect(knownHostsRefusal(`files.example.com ${good.line}\n`, 'files.example.com', 2222, good.blob)).toContain(
      'no key for [files.example.com]:2222',
    );
    expect(knownHostsRefusal(`[files.example.com]:2222 ${good.line}\n`, 'files.example.com', 2222, good.blob)).toBeUndefined();
    expect(knownHostsRefusal(`*.example.com,!evil.example.com ${good.line}\n`, 'files.example.com', 22, good.blob)).toBeUndefined();
    expect(knownHostsRefusal(`*.example.com,!evil.example.com ${good.line}\n`, 'evil.example.com', 22, good.blob)).toContain('no key for');
    expect(knownHostsRefusal(`files.example.com ${other.line}\n`, 'files.example.com', 22, good.blob)).toBe(
      `its host key ${good.fingerprint} is not the one known_hosts pins for files.example.com`,
    );
    const hashed = join(dir, 'known_hosts');
    writeFileSync(hashed, `files.example.com ${good.line}\n[files.example.com]:2222 ${other.line}\n`);
    spawnSync('ssh-keygen', ['-H', '-f', hashed]);
    const text = readFileSync(hashed, 'utf8');
    expect(text).not.toContain('example.com');
    expect(knownHostsRefusal(text, 'files.example.com', 22, good.blob)).toBeUndefined();
    expect(knownHostsRefusal(text, 'files.example.com', 2222, good.blob)).toContain('is not the one known_hosts pins');
    expect(knownHostsRefusal(`@revoked * ${good.line}\nfiles.example.com ${good.line}\n`, 'files.example.com', 22, good.blob)).toContain(
      'revoked',
    );
  });
});

describe('deliver: entries', () => {
  it('parse the URL into user, host, port and path, or bucket and prefix', () => {
    expect(parseSftpUrl('sftp://mailer@files.example.com/inbound')).toEqual({
      user: 'mailer',
      host: 'files.example.com',
      port: 22,
      path: '/inbound',
    });
    expect(parseSftpUrl('sftp://u@[::1]:2222/x')).toMatchObject({ host: '::1', port: 2222 });
    expect(parseSftpUrl('sftp://u:pw@h/x')).toContain('must not carry a password');
    expect(parseSftpUrl('sftp://h/x')).toContain('must name the user');
    expect(parseS3Url('s3://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(parseS3Url('s3://my-bucket/a/b')).toEqual({ bucket: 'my-bucket', prefix: 'a/b/' });
    expect(parseS3Url('s3://My_Bucket/x')).toContain('is not an S3 URL');
  });

  it('are refused when incomplete or unknown, one message each', () => {
    const issues = (entry: unknown): string[] =>
      deliverSchemas()
        .deliverEntry.safeParse(entry)
        .error?.issues.map((i) => i.message) ?? [];
    expect(issues({ url: 'ftp://h/x' })).toEqual(['must be sftp://user@host:port/path or s3://bucket/prefix']);
    expect(issues({ url: 'sftp://u@h/x', key_file: 'k' })).toEqual([
      'sftp://u@h/x: give host_key or known_hosts (one of them): a host key is never trusted on first use',
    ]);
    expect(issues({ url: 'sftp://u@h/x', host_key: 'SHA256:short', key_file: 'k' })[0]).toContain('must be a fingerprint');
    expect(issues({ url: 's3://b-1/x', part_size_mb: 1 })).toHaveLength(1);
    expect(issues({ url: 's3://b-1/x', sse: 'none' })).toHaveLength(1);
    expect(issues({ url: 's3://b-1/x', secret_access_key: 'k' })).toHaveLength(1); // credentials only through the SDK's chain
    expect(issues({ url: 's3://b-1/x', endpoint: 'http://127.0.0.1:9000', force_path_style: true })).toEqual([]);
  });
});
