/**
 * SFTP delivery (ssh2-sftp-client, loaded only by a job that delivers over SFTP): each file
 * written under a temporary name in the target directory, checked against the manifest's size
 * and SHA-256, then renamed into place (posix-rename replaces an earlier delivery atomically);
 * the caller sends the manifest last. The host key must match the pinned one; the key is read
 * from a file or a `<NAME>_FILE` / `<NAME>` secret at connect time and never leaves this module.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { posix } from 'node:path';
import type { SftpAddress, SftpEntry } from '../config/deliver-schema.js';
import { knownHostsRefusal, sha256Fingerprint } from './host-key.js';
import { PermanentError } from './retry.js';
import { changedFileError, type BatchFile } from './batch-files.js';
import type { Connect, Session } from './session.js';

const CONNECT_TIMEOUT_MS = 20_000;

async function readSecretFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new PermanentError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

async function privateKey(entry: SftpEntry, env: NodeJS.ProcessEnv): Promise<string> {
  if (entry.key_file !== undefined) return readSecretFile(entry.key_file, 'key file');
  const name = entry.key_env!;
  const file = env[`${name}_FILE`];
  if (file) return readSecretFile(file, `${name}_FILE`);
  const key = env[name];
  if (!key) throw new PermanentError(`no SSH key: set ${name}_FILE to the key's file, or ${name} to the key`);
  return key;
}

/** The pinned-key check ssh2 calls during the handshake; sets `refusal` when it says no. */
function hostVerifier(entry: SftpEntry, address: SftpAddress, knownHosts: string | undefined, refusal: { why?: string | undefined }) {
  return (key: Buffer): boolean => {
    if (entry.host_key !== undefined) {
      const actual = sha256Fingerprint(key);
      if (actual !== entry.host_key.replace(/=$/, '')) refusal.why = `its host key ${actual} is not the pinned ${entry.host_key}`;
    } else {
      refusal.why = knownHostsRefusal(knownHosts!, address.host, address.port, key);
    }
    return refusal.why === undefined;
  };
}

export function sftpConnect(entry: SftpEntry, address: SftpAddress, env: NodeJS.ProcessEnv = process.env): Connect {
  // Temporary files of tries whose connection died: the next try removes them.
  const leftovers: string[] = [];
  return async (secrets) => {
    const key = await privateKey(entry, env);
    secrets.push(...key.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')));
    const knownHosts = entry.known_hosts !== undefined ? await readSecretFile(entry.known_hosts, 'known_hosts file') : undefined;
    const { default: Client } = await import('ssh2-sftp-client');
    const client = new Client('meeting-tokens');
    const refusal: { why?: string | undefined } = {};
    try {
      await client.connect({
        host: address.host,
        port: address.port,
        username: address.user,
        privateKey: key,
        hostVerifier: hostVerifier(entry, address, knownHosts, refusal),
        readyTimeout: CONNECT_TIMEOUT_MS,
        // A server that stops answering (rather than closing) ends the try after 30 s, not never.
        keepaliveInterval: 5_000,
        keepaliveCountMax: 6,
        retries: 0,
      });
    } catch (error) {
      await client.end().catch(() => undefined);
      if (refusal.why !== undefined) throw new PermanentError(`refused ${address.host}:${address.port}: ${refusal.why}`);
      if (/authentication methods failed/i.test((error as Error).message))
        throw new PermanentError(`the server refused the key for user ${address.user}`);
      throw error;
    }
    const dir = address.path.startsWith('/~/') ? address.path.slice(3) || '.' : address.path || '.';
    if (!(await client.exists(dir))) await client.mkdir(dir, true);
    for (const temp of leftovers.splice(0)) await client.delete(temp, true).catch(() => undefined);
    return sftpSession(client, dir, leftovers);
  };
}

type Client = InstanceType<typeof import('ssh2-sftp-client')>;

function sftpSession(client: Client, dir: string, leftovers: string[]): Session {
  return {
    async put(file: BatchFile): Promise<void> {
      const temp = posix.join(dir, `.${file.name}.${randomBytes(6).toString('hex')}.part`);
      leftovers.push(temp);
      const hash = createHash('sha256');
      let bytes = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      // Owner-only, as locally: a tokens file is a set of credentials.
      await client.put(createReadStream(file.path).pipe(counted), temp, { writeStreamOptions: { mode: 0o600 } });
      if (bytes !== file.bytes || hash.digest('hex') !== file.sha256) throw changedFileError(file);
      const stat = await client.stat(temp);
      if (stat.size !== file.bytes) throw new Error(`${file.name}: the server holds ${stat.size} of ${file.bytes} bytes`);
      await client.posixRename(temp, posix.join(dir, file.name));
      leftovers.pop();
    },
    async close(): Promise<void> {
      // A temporary file of a failed put is never under a final name; remove it when the connection still allows.
      while (leftovers.length > 0) {
        const deleted = await client.delete(leftovers.at(-1)!, true).then(
          () => true,
          () => false,
        );
        if (!deleted) break;
        leftovers.pop();
      }
      await client.end().catch(() => undefined);
    },
  };
}
