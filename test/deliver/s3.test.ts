// S3 delivery against s3rver on loopback, behind a proxy that checks x-amz-checksum-sha256 as S3 does (s3-server.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { S3Client, GetObjectCommand, PutObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { startS3, type S3Standin } from './s3-server.js';
import { makeBatch, memoryLogger } from './batch.js';
import { keyLeak, tempDir } from '../helpers.js';
import { deliverBatch } from '../../src/deliver/deliver-batch.js';
import { deliverSchemas, type DeliverEntry } from '../../src/config/deliver-schema.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let s3: S3Standin;
let client: S3Client;
beforeAll(async () => {
  s3 = await startS3(['tokens']);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', SECRET);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  client = new S3Client({ endpoint: s3.direct, forcePathStyle: true, region: 'us-east-1' });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  await s3?.close();
});

function target(url: string, extra: Record<string, unknown> = {}): DeliverEntry {
  return deliverSchemas().deliverEntry.parse({ url, endpoint: s3.endpoint, force_path_style: true, backoff: '1s', ...extra });
}

async function object(key: string): Promise<Buffer | undefined> {
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: 'tokens', Key: key }));
    return Buffer.from(await answer.Body!.transformToByteArray());
  } catch {
    return undefined;
  }
}

/** The keys PUT (or multipart-completed) under `prefix`, in the order the server stored them. */
function stored(prefix: string): string[] {
  return s3.requests
    .filter(
      (r) =>
        r.key.startsWith(prefix) &&
        r.status === 200 &&
        ((r.method === 'PUT' && !r.query.includes('partNumber')) || (r.method === 'POST' && r.query.includes('uploadId'))),
    )
    .map((r) => r.key.slice(prefix.length));
}

describe('S3 delivery', () => {
  it('s3rver alone stores an object whose x-amz-checksum-sha256 is wrong: the proxy is what checks it', async () => {
    const wrong = createHash('sha256').update('other').digest('base64');
    await client.send(new PutObjectCommand({ Bucket: 'tokens', Key: 'unchecked', Body: 'hello', ChecksumSHA256: wrong }));
    expect((await object('unchecked'))?.toString()).toBe('hello');
  });

  it('puts every object byte-identical, each with its SHA-256 checked, the manifest last, with SSE', async () => {
    const batch = makeBatch(tempDir(), 'weekly', { '.csv': 'email,token\na@example.com,t1\n', '.rejects.csv': 'line,reason\n' });
    const { log, lines } = memoryLogger();
    const [outcome] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target('s3://tokens/run-1', { sse: 'AES256' })],
      log,
    });
    expect(outcome).toMatchObject({ destination: 's3://tokens/run-1', status: 'delivered', attempts: 1, files_delivered: 3 });
    for (const name of batch.names) expect(await object(`run-1/${name}`)).toEqual(readFileSync(join(batch.dir, name)));
    expect(stored('run-1/')).toEqual(batch.names);
    const puts = s3.requests.filter((r) => r.key.startsWith('run-1/') && r.method === 'PUT');
    for (const put of puts) {
      expect(put.verified).toBe(true);
      expect(put.headers['x-amz-server-side-encryption']).toBe('AES256');
    }
    expect(keyLeak(SECRET, [['log', lines.join('')]], [batch.dir])).toBeUndefined();
  });

  it('a file changed since publication is refused by the checksum (BadDigest): the manifest is not sent', async () => {
    const batch = makeBatch(tempDir(), 'changed', { '.csv': 'email,token\na@example.com,t1\n' });
    const tokens = join(batch.dir, batch.names[0]!);
    writeFileSync(tokens, readFileSync(tokens, 'utf8').replace('t1', 't2')); // same length, other bytes
    const { log } = memoryLogger();
    const [outcome] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target('s3://tokens/run-2', { attempts: 2 })],
      log,
    });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2, files_delivered: 0 });
    expect(outcome!.error).toContain('BadDigest');
    expect(await object(`run-2/${batch.names[0]}`)).toBeUndefined();
    expect(await object(`run-2/${batch.names.at(-1)}`)).toBeUndefined();
  });

  it('bytes corrupted in transit are refused, and the retry delivers them', async () => {
    const batch = makeBatch(tempDir(), 'transit', { '.csv': 'email,token\na@example.com,t1\n' });
    s3.corruptNext('transit-20261127T100000Z.csv');
    const { log, lines } = memoryLogger();
    const [outcome] = await deliverBatch({ manifestPath: batch.manifestPath, targets: [target('s3://tokens/run-3')], log });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(s3.requests.filter((r) => r.key === `run-3/${batch.names[0]}`).map((r) => r.status)).toEqual([400, 200]);
    expect(lines.join('')).toContain('BadDigest');
    expect(await object(`run-3/${batch.names[0]}`)).toEqual(readFileSync(join(batch.dir, batch.names[0]!)));
  });

  it('sends a file over the part size in parts, each part checked, and the whole object is byte-identical', async () => {
    const big = randomBytes(11 * 1024 * 1024 + 17);
    const batch = makeBatch(tempDir(), 'big', { '.csv': big, '.rejects.csv': 'line,reason\n' });
    const { log } = memoryLogger();
    const [outcome] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target('s3://tokens/run-4/', { part_size_mb: 5 })],
      log,
    });
    expect(outcome).toMatchObject({ status: 'delivered', attempts: 1 });
    const parts = s3.requests.filter((r) => r.key === `run-4/${batch.names[0]}` && r.query.includes('partNumber'));
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.verified).toBe(true);
    expect((await object(`run-4/${batch.names[0]}`))!.equals(big)).toBe(true);
    expect(stored('run-4/')).toEqual(batch.names);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'tokens', Key: `run-4/${batch.names[1]}` }));
    expect(head.ContentLength).toBe('line,reason\n'.length);
  }, 60_000);

  it('a bucket that does not exist fails at once, without retries', async () => {
    const batch = makeBatch(tempDir(), 'nobucket', { '.csv': 'a\n' });
    const { log } = memoryLogger();
    const [outcome] = await deliverBatch({
      manifestPath: batch.manifestPath,
      targets: [target('s3://missing-bucket/x', { attempts: 3 })],
      log,
    });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(outcome!.error).toContain('NoSuchBucket');
  });
});
