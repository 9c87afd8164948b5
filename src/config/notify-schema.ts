/**
 * The job file's `notify:` (webhooks that get a signed summary of each run) and `heartbeat:` (a
 * healthchecks.io-style ping URL). Messages never repeat a URL or a secret: either may carry a
 * credential.
 */
import { z } from 'zod';

/** An environment variable's name, as POSIX shells take them. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An absolute http(s) URL (URLs are never echoed: a path, query or user part may be a credential). */
export const httpUrl = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL' },
);

export const webhookSchema = z
  .strictObject({
    url: httpUrl,
    /** The variable holding the secret (`whsec_...`); `<NAME>_FILE` may name a file holding it instead. */
    secret_env: z.string().regex(ENV_NAME, 'must be an environment variable name such as TOKENS_WEBHOOK_SECRET').optional(),
    /** A file holding the secret (a mounted secret), relative to the job file. */
    secret_file: z.string().min(1, 'must name the file holding the secret').optional(),
  })
  .refine((hook) => (hook.secret_env === undefined) !== (hook.secret_file === undefined), {
    message: 'needs its signing secret from exactly one of secret_env (a variable name) or secret_file (a file path)',
  });

export const notifySchema = z.array(webhookSchema).min(1, 'lists no webhook; leave notify out instead').max(20, 'at most 20 webhooks');

export type WebhookEntry = z.infer<typeof webhookSchema>;

export const WEBHOOK_KEYS: readonly string[] = ['url', 'secret_env', 'secret_file'];
