// SFTP delivery against a real OpenSSH server (sshd -D on loopback, see sshd.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startSshd, fingerprintOf, type Sshd } from './sshd.js';
import { makeBatch, memoryLogger } from './batch.js';
import { keyLeak, tempDir } from '../helpers.js';
import { deliverBatch } from '../../src/deliver/deliver-batch.js';
import { deliverSchemas, type DeliverEntry } from '../../src/config/deliver-schema.js';

let sshd: Sshd;
beforeAll(async () => {
  sshd = await startSshd();
}, 60_000);
afterAll(async () => {
  await sshd?.kill();
});

function target(remote: string, extra: Record<string, unknown> = {}): DeliverEntry {
  return deliverSchemas().deliverEntry.parse({
    url: `sftp://${sshd.user}@127.0.0.1:${sshd.port}${remote}`,
    host_key: sshd.hostKeyFingerprint,
    key_file: sshd.keyFile,
    backoff: '1s',
    ...extra,
  });
}

/** The final names the SFTP server renamed files to, in order, from its log. */
function renamedTo(log: string, remote: string): string[] {
  return [...log.matchAll(/rename old "[^"]*" new "([^"]*)"/g)]
    .map((m) => m[1]!)
    .filter((p) => p.startsWith(remote + '/'))
    .map((p) => p.slice(remote.length + 1));
}

describe('SFTP delivery', () => {
  it('puts every file byte-identical under its final name, the manifest last, and records it', async () => {
    const batch = makeBatch(tempDir(), 'weekly', {
      '.csv': 'email,token\na@example.com,t1\n',
      '.rejects.csv': 'line,reason\n',
      '.part-002.csv': 'x\n',
    });
    const remote = join(tempDir('mt-remote-'), 'inbound');
    const { log, lines } = memoryLogger();
    const [outcome] = await deliverBatch({ manifestPath: batch.manifestPath, targets: [target(remote)], log });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 1, files_delivered: 4 });
    expect(readdirSync(remote).sort()).toEqual([...batch.names].sort());
    for (const name of batch.names) {
      expect(readFileSync(join(remote, name))).toEqual(readFileSync(join(batch.dir, name)));
      expect(statSync(join(remote, name)).mode & 0o777).toBe(0o600); // tokens are for the consumer only
    }
    // Order of the renames into place, as the server logged them: the manifest last.
    const order = renamedTo(sshd.sftpLog(), remote);
    expect(order).toEqual(batch.names);
    // and by the server's own clock: the manifest's rename came after every other file's.
    const manifestTime = statSync(join(remote, batch.names.at(-1)!)).ctimeMs;
    for (const name of batch.names.slice(0, -1)) expect(statSync(join(remote, name)).ctimeMs).toBeLessThanOrEqual(manifestTime);
    const record = JSON.parse(readFileSync(join(batch.dir, 'weekly-20261127T100000Z.delivery.json'), 'utf8'));
    expect(record).toMatchObject({
      job: 'weekly',
      manifest: batch.names.at(-1),
      deliveries: [{ destination: target(remote).url, status: 'delivered', attempts: 1 }],
    });
    const key = readFileSync(sshd.keyFile, 'utf8');
    for (const line of key.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) {
      expect(keyLeak(line, [['log', lines.join('')]], [batch.dir])).toBeUndefined();
    }
  }, 60_000);

  it('refuses a server whose host key is not the pinned one, by fingerprint or known_hosts, and sends nothing', async () => {
    const batch = makeBatch(tempDir(), 'pinned', { '.csv': 'a\n' });
    const remote = join(tempDir('mt-remote-'), 'inbound');
    const other = tempDir();
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(other, 'other')]);
    const wrong = fingerprintOf(join(other, 'other.pub'));
    const { log, lines } = memoryLogger();
    const [byPin] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target(remote, { host_key: wrong, attempts: 3 })],
      log,
    });
    expect(byPin).toMatchObject({ status: 'failed', attempts: 1, files_delivered: 0 });
    expect(byPin!.error).toBe(`refused 127.0.0.1:${sshd.port}: its host key ${sshd.hostKeyFingerprint} is not the pinned ${wrong}`);
    expect(lines.join('')).toContain(`delivery to ${target(remote).url} failed: refused 127.0.0.1`);

    const knownHosts = join(other, 'known_hosts');
    const otherPub = readFileSync(join(other, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${otherPub}\n`);
    const [byFile] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target(remote, { host_key: undefined, known_hosts: knownHosts })],
      log,
    });
    expect(byFile).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byFile!.error).toContain(`is not the one known_hosts pins for [127.0.0.1]:${sshd.port}`);
    writeFileSync(knownHosts, `otherhost ${otherPub}\n`);
    const [unknownHost] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target(remote, { host_key: undefined, known_hosts: knownHosts })],
      log,
    });
    expect(unknownHost!.error).toContain('known_hosts has no key for');
    expect(existsSync(remote)).toBe(false);

    // The right key in known_hosts (as ssh-keyscan writes it) is accepted.
    const hostPub = readFileSync(join(sshd.dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(knownHosts, `# pinned\nother ${otherPub}\n[127.0.0.1]:${sshd.port} ${hostPub}\n`);
    const [ok] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target(remote, { host_key: undefined, known_hosts: knownHosts })],
      log,
    });
    expect(ok).toMatchObject({ status: 'delivered' });
  }, 60_000);

  it('a server killed mid-upload leaves nothing under a final name; the retry completes the delivery', async () => {
    const big = randomBytes(48 * 1024 * 1024);
    const batch = makeBatch(tempDir(), 'big', { '.csv': big, '.rejects.csv': 'line,reason\n' });
    const remote = join(tempDir('mt-remote-'), 'inbound');
    const { log, lines } = memoryLogger();
    const delivery = deliverBatch({ manifestPath: batch.manifestPath, targets: [target(remote, { attempts: 5 })], log });
    // Wait until the big file is partly on the server under its temporary name, then kill the server.
    let partial: string | undefined;
    const deadline = Date.now() + 60_000;
    while (partial === undefined && Date.now() < deadline) {
      partial = existsSync(remote) ? readdirSync(remote).find((n) => n.endsWith('.part') && statSync(join(remote, n)).size > 0) : undefined;
      if (partial === undefined) await new Promise((r) => setTimeout(r, 5));
    }
    expect(partial).toBeDefined();
    await sshd.kill();
    const sizeAtKill = statSync(join(remote, partial!)).size;
    expect(sizeAtKill).toBeLessThan(big.length);
    expect(readdirSync(remote).filter((n) => !n.endsWith('.part'))).toEqual([]);
    await sshd.restart();
    const [outcome] = await delivery;
    expect(outcome).toMatchObject({ status: 'delivered', files_delivered: 3 });
    expect(outcome!.attempts).toBeGreaterThanOrEqual(2);
    expect(lines.join('')).toContain('failed (try 1 of 5');
    expect(readdirSync(remote).sort()).toEqual([...batch.names].sort()); // the killed try's temporary file removed too
    for (const name of batch.names) expect(readFileSync(join(remote, name)).equals(readFileSync(join(batch.dir, name)))).toBe(true);
  }, 180_000);
});
