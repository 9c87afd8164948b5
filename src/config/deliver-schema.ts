/**
 * The `deliver:` list of a job file: where each published batch goes after it is published
 * locally. Each entry is a URL (`sftp://user@host:port/path` or `s3://bucket/prefix`) with the
 * settings its kind needs; secrets are never in it, only where to find them.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** `SHA256:` and 43 base64 characters, as `ssh-keygen -lf` prints a host key's fingerprint. */
export const SHA256_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;
/** An environment variable's name (`SFTP_KEY`: read from `SFTP_KEY_FILE` or `SFTP_KEY`). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where an SFTP destination is, from its URL: never a password (key authentication only). */
export interface SftpAddress {
  user: string;
  host: string;
  port: number;
  /** The remote directory; relative to the login directory unless it starts with `//`. */
  path: string;
}

export function parseSftpUrl(text: string): SftpAddress | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL such as sftp://user@host:22/inbound';
  }
  if (url.protocol !== 'sftp:') return 'must start with sftp://';
  if (url.password !== '') return 'must not carry a password: authentication is by key (key_file or key_env)';
  if (url.username === '') return 'must name the user: sftp://user@host:22/path';
  if (url.hostname === '') return 'must name the host';
  if (url.search !== '' || url.hash !== '') return 'must have no ? or # part';
  const path = decodeURIComponent(url.pathname);
  return {
    user: decodeURIComponent(url.username),
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 22,
    path,
  };
}

/** An S3 destination, from its URL: the bucket and the key prefix (`''`, or ending in `/`). */
export interface S3Address {
  bucket: string;
  prefix: string;
}

export function parseS3Url(text: string): S3Address | string {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  if (!match) return 'is not an S3 URL such as s3://my-bucket/tokens/ (bucket names: a-z 0-9 . -, 3 to 63 characters)';
  const prefix = (match[2] ?? '').replace(/^\/+/, '');
  return { bucket: match[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : prefix + '/' };
}

/**
 * The schemas are built on first use: a job without `deliver:` (every plain run) never pays for
 * them (about 0.3 MB of memory at start-up).
 */
function build() {
  const duration = z.string().refine((text) => parseDuration(text) !== undefined, { message: 'must be a duration such as 2s or 1m' });

  const retry = {
    /** Tries in all, the first included. */
    attempts: z.number().int().min(1).max(20).default(4),
    /** The wait before the second try; each later wait doubles. */
    backoff: duration.default('2s'),
  };

  const urlOf = (parse: (text: string) => object | string) =>
    z.string().superRefine((text, ctx) => {
      const parsed = parse(text);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `"${text.replace(/:[^/@]*@/, ':***@')}" ${parsed}` });
    });

  const sftpEntry = z
    .strictObject({
      url: urlOf(parseSftpUrl),
      /** The server's host key, pinned: `SHA256:...` as ssh-keygen prints it. */
      host_key: z.string().regex(SHA256_FINGERPRINT, 'must be a fingerprint such as SHA256:uZ0... (ssh-keygen -lf <key>.pub)').optional(),
      /** Or a known_hosts file holding the server's key (hashed host names included). */
      known_hosts: z.string().min(1).optional(),
      /** The private key's file (OpenSSH or PEM format). */
      key_file: z.string().min(1).optional(),
      /** Or the name of a secret: the key is read from the file `<NAME>_FILE` names, or from `<NAME>` itself. */
      key_env: z.string().regex(ENV_NAME, 'must be an environment variable name such as SFTP_KEY').optional(),
      ...retry,
    })
    .superRefine((entry, ctx) => {
      if ((entry.host_key === undefined) === (entry.known_hosts === undefined)) {
        ctx.addIssue({
          code: 'custom',
          message: `${entry.url}: give host_key or known_hosts (one of them): a host key is never trusted on first use`,
        });
      }
      if ((entry.key_file === undefined) === (entry.key_env === undefined)) {
        ctx.addIssue({ code: 'custom', message: `${entry.url}: give key_file or key_env (one of them) for key authentication` });
      }
    });

  const s3Entry = z.strictObject({
    url: urlOf(parseS3Url),
    region: z.string().min(1).optional(),
    /** An S3-compatible store's address (`https://minio.example.com:9000`). */
    endpoint: z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }).optional(),
    /** `bucket` in the path rather than the host name, as most S3-compatible stores want. */
    force_path_style: z.boolean().default(false),
    /** Server-side encryption: `AES256` (S3-managed keys) or `aws:kms` (with `kms_key_id`, or the bucket's default KMS key). */
    sse: z.enum(['AES256', 'aws:kms']).optional(),
    kms_key_id: z.string().min(1).optional(),
    /** Files larger than this go up in parts of this size (5 MiB to 5 GiB). */
    part_size_mb: z.number().int().min(5).max(5120).default(8),
    ...retry,
  });

  /** The URL's scheme picks the entry's shape, so that a mistake is reported against the right one. */
  const deliverEntry = z.looseObject({ url: z.string('must be an sftp:// or s3:// URL') }).transform((entry, ctx) => {
    const schema = /^sftp:/i.test(entry.url) ? sftpEntry : /^s3:/i.test(entry.url) ? s3Entry : undefined;
    if (schema === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be sftp://user@host:port/path or s3://bucket/prefix' });
      return z.NEVER;
    }
    const result = schema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return result.data as z.infer<typeof sftpEntry> | z.infer<typeof s3Entry>;
  });

  const deliverSchema = z.array(deliverEntry).max(20);
  return { sftpEntry, s3Entry, deliverEntry, deliverSchema };
}

let built: ReturnType<typeof build> | undefined;

/** The schemas of `deliver:` and of one entry of it. */
export function deliverSchemas(): ReturnType<typeof build> {
  built ??= build();
  return built;
}

/** `deliver:` in the job schema: built only when a job has one. */
export const deliverSchema = z.lazy(() => deliverSchemas().deliverSchema);

export type DeliverEntry = SftpEntry | S3Entry;
export type SftpEntry = z.infer<ReturnType<typeof build>['sftpEntry']>;
export type S3Entry = z.infer<ReturnType<typeof build>['s3Entry']>;
