/**
 * Where a run reports its outcome: webhooks (each with its Standard Webhooks signing secret, read
 * here from the environment or a file), a heartbeat URL and a Pushgateway. Read once at start, so
 * a missing or malformed secret stops the run before any row is read (exit 2). No message names
 * a secret or more of a URL than its origin.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MeetingTokensError } from '../errors.js';
import type { LoadedJob } from './load-job.js';
import type { WebhookEntry } from './notify-schema.js';

export interface WebhookTarget {
  url: string;
  /** The secret's key bytes (the base64 after `whsec_`, decoded). */
  key: Buffer;
  /** What logs call it: `webhook 1 (https://hooks.example.com)`, never its path, query or user part. */
  label: string;
}

export interface NotifySettings {
  webhooks: WebhookTarget[];
  heartbeat: string | undefined;
  pushgateway: string | undefined;
}

/** Standard Webhooks: secrets of 24 to 64 random bytes, base64, usually prefixed `whsec_`. */
const SECRET_BYTES = { min: 24, max: 64 } as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A URL as logs may show it: scheme, host and port only. */
export function urlOrigin(url: string): string {
  return new URL(url).origin;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Undefined when the run reports to nobody (the plain path loads no notification code). */
export function loadNotifySettings(
  loaded: LoadedJob | undefined,
  env: NodeJS.ProcessEnv,
  pushgateway: string | undefined,
): NotifySettings | undefined {
  if (pushgateway !== undefined && !isHttpUrl(pushgateway)) {
    throw new MeetingTokensError('USAGE', '--pushgateway: must be an absolute http:// or https:// URL, e.g. http://pushgateway:9091');
  }
  const job = loaded?.job;
  if (job?.notify === undefined && job?.heartbeat === undefined && pushgateway === undefined) return undefined;
  const webhooks = (job?.notify ?? []).map((entry, index) => ({
    url: entry.url,
    key: webhookKey(entry, `${loaded!.file}: notify.${index}`, env, dirname(loaded!.file)),
    label: `webhook ${index + 1} (${urlOrigin(entry.url)})`,
  }));
  return { webhooks, heartbeat: job?.heartbeat, pushgateway };
}

function webhookKey(entry: WebhookEntry, where: string, env: NodeJS.ProcessEnv, base: string): Buffer {
  const fail = (what: string): MeetingTokensError => new MeetingTokensError('CONFIG_INVALID', `${where}: ${what}`);
  let text: string;
  let source: string;
  if (entry.secret_file !== undefined) {
    source = `secret_file ${resolve(base, entry.secret_file)}`;
    text = readSecretFile(resolve(base, entry.secret_file), (code) => fail(`cannot read ${source} (${code})`));
  } else {
    const name = entry.secret_env!;
    const value = env[name];
    const file = env[`${name}_FILE`];
    if (value !== undefined && file !== undefined) throw fail(`both ${name} and ${name}_FILE are set; keep one`);
    if (value === undefined && file === undefined) throw fail(`secret_env: neither ${name} nor ${name}_FILE is set`);
    source = value !== undefined ? name : `${name}_FILE`;
    text = value ?? readSecretFile(file!, (code) => fail(`${name}_FILE: cannot read ${file} (${code})`));
  }
  const base64 = text.startsWith('whsec_') ? text.slice('whsec_'.length) : text;
  const key = BASE64.test(base64) ? Buffer.from(base64, 'base64') : undefined;
  if (key === undefined || key.length < SECRET_BYTES.min || key.length > SECRET_BYTES.max) {
    throw fail(
      `the secret in ${source} is not a Standard Webhooks secret: whsec_ followed by base64 of ${SECRET_BYTES.min} to ${SECRET_BYTES.max} random bytes`,
    );
  }
  return key;
}

/** A mounted secret's text; one trailing newline is ignored, as for DAILY_API_KEY_FILE. */
function readSecretFile(path: string, error: (code: string) => MeetingTokensError): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (cause) {
    throw error((cause as NodeJS.ErrnoException).code ?? 'error');
  }
}
