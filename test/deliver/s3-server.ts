/**
 * An S3-compatible server on loopback for delivery tests: s3rver 3.7.1 behind a small proxy that
 * does what s3rver does not. s3rver ignores `x-amz-checksum-sha256` (a PutObject with a wrong one
 * is stored, checked in s3-delivery.test.ts); the proxy checks it as S3 does, answering 400
 * BadDigest on a mismatch, and logs every request in order (method, key, part, headers). It can
 * also corrupt a request's body in transit, to show that the check refuses it.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { tempDir } from '../helpers.js';

export interface LoggedRequest {
  method: string;
  key: string;
  query: string;
  checksum: string | undefined;
  /** The checksum header matched the body (S3 would store it). */
  verified: boolean | undefined;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface S3Standin {
  endpoint: string;
  /** s3rver's own address, without the proxy's checksum check. */
  direct: string;
  requests: LoggedRequest[];
  /** Flips a byte of the body of the next PUT whose key ends so, before the check. */
  corruptNext: (suffix: string) => void;
  close: () => Promise<void>;
}

const BAD_DIGEST =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>BadDigest</Code><Message>The SHA256 you specified did not match the calculated checksum.</Message></Error>';

export async function startS3(buckets: string[]): Promise<S3Standin> {
  const s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: tempDir('mt-s3rver-'),
    configureBuckets: buckets.map((name) => ({ name })),
    // Tests sign with their own long secret (the secrets scan needs one): s3rver knows only its own.
    allowMismatchedSignatures: true,
  });
  const { port: s3Port } = (await s3rver.run()) as AddressInfo;
  const requests: LoggedRequest[] = [];
  const corrupt = new Set<string>();
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const url = new URL(req.url!, 'http://x');
      const key = decodeURIComponent(url.pathname).split('/').slice(2).join('/');
      const suffix = [...corrupt].find((s) => req.method === 'PUT' && key.endsWith(s));
      if (suffix !== undefined && body.length > 0) {
        corrupt.delete(suffix);
        body = Buffer.from(body);
        body[body.length - 1]! ^= 1;
      }
      const checksum = req.headers['x-amz-checksum-sha256'] as string | undefined;
      const verified = checksum === undefined ? undefined : createHash('sha256').update(body).digest('base64') === checksum;
      const entry: LoggedRequest = { method: req.method!, key, query: url.search, checksum, verified, headers: req.headers, status: 0 };
      requests.push(entry);
      if (verified === false) {
        entry.status = 400;
        res.writeHead(400, { 'content-type': 'application/xml' }).end(BAD_DIGEST);
        return;
      }
      const upstream = request({ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        entry.status = answer.statusCode!;
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const { port } = proxy.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    direct: `http://127.0.0.1:${s3Port}`,
    requests,
    corruptNext: (suffix) => corrupt.add(suffix),
    close: async () => {
      proxy.close();
      await s3rver.close();
    },
  };
}
