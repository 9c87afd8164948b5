/**
 * S3 delivery (the AWS SDK, loaded only by a job that delivers to S3): each file one object,
 * `x-amz-checksum-sha256` sent with it so that S3 refuses bytes that are not the manifest's. A
 * file up to the part size is one PutObject carrying the manifest's own SHA-256; a larger one
 * goes up in parts through lib-storage, each part with its SHA-256, after the local file is
 * checked against the manifest (an incomplete multipart upload is never visible under its key).
 * Credentials come only from the SDK's standard chain; the caller sends the manifest last.
 */
import { createReadStream } from 'node:fs';
import type { S3Address, S3Entry } from '../config/deliver-schema.js';
import { PermanentError } from './retry.js';
import { changedFileError, type BatchFile } from './batch-files.js';
import { fileSha256 } from '../files/file-sha256.js';
import type { Connect, Session } from './session.js';

const MIB = 1024 * 1024;
const quiet = (): void => undefined;
const SILENT = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };
/** Errors no retry fixes: the bucket or the credentials are wrong. */
const PERMANENT = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
  'InvalidBucketName',
  'KMS.NotFoundException',
]);

function contentType(name: string): string {
  return name.endsWith('.json') ? 'application/json' : name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream';
}

export function s3Connect(entry: S3Entry, address: S3Address): Connect {
  return async () => {
    // The SDK warns on stderr that its releases after January 2027 need Node 22; this pinned one runs on Node 20.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { Upload } = await import('@aws-sdk/lib-storage');
    const client = new S3Client({
      ...(entry.region !== undefined ? { region: entry.region } : {}),
      ...(entry.endpoint !== undefined ? { endpoint: entry.endpoint } : {}),
      forcePathStyle: entry.force_path_style,
      // Tries are counted, spaced and recorded by the caller.
      maxAttempts: 1,
      // A store that stops answering ends the try (the socket idle this long), not never.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
      // The SDK writes some failures to the console without a logger of its own: the try's error says it all.
      logger: SILENT,
    });
    const partSize = entry.part_size_mb * MIB;
    const encryption = {
      ...(entry.sse !== undefined ? { ServerSideEncryption: entry.sse } : {}),
      ...(entry.kms_key_id !== undefined ? { SSEKMSKeyId: entry.kms_key_id } : {}),
    };
    const wrap = (error: unknown): unknown => {
      const name = (error as { name?: string }).name ?? '';
      return PERMANENT.has(name) ? new PermanentError(`${name}: ${(error as Error).message}`) : error;
    };
    const session: Session = {
      async put(file: BatchFile): Promise<void> {
        const common = { Bucket: address.bucket, Key: address.prefix + file.name, ContentType: contentType(file.name), ...encryption };
        try {
          if (file.bytes <= partSize) {
            await client.send(
              new PutObjectCommand({
                ...common,
                Body: createReadStream(file.path),
                ContentLength: file.bytes,
                // The manifest's hash, not one computed now: S3 stores only the bytes that were published.
                ChecksumSHA256: Buffer.from(file.sha256, 'hex').toString('base64'),
              }),
            );
            return;
          }
          if ((await fileSha256(file.path)) !== file.sha256) throw changedFileError(file);
          const upload = new Upload({
            client,
            params: { ...common, Body: createReadStream(file.path), ChecksumAlgorithm: 'SHA256' },
            partSize,
            queueSize: 2,
            leavePartsOnError: false,
          });
          await upload.done();
        } catch (error) {
          throw wrap(error);
        }
      },
      close(): Promise<void> {
        client.destroy();
        return Promise.resolve();
      },
    };
    return session;
  };
}
