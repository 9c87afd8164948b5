/**
 * Where the signing key comes from: DAILY_API_KEY, or DAILY_API_KEY_FILE (a file holding it, as
 * Docker and Kubernetes secrets provide). The key itself never enters an error or a log line.
 */
import { readFileSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { plural } from '../plural.js';

/**
 * Public, clearly fake key for the bundled example job only. Tokens signed with it are
 * well-formed but Daily rejects them: no real domain uses this key.
 */
export const DEMO_KEY = 'DEMO-KEY-not-a-Daily-key-Daily-rejects-tokens-signed-with-it';

/** Said wherever a batch signed with the demo key is reported: result line, status, logs. */
export const DEMO_KEY_WARNING = 'DEMO KEY: signed with the public demo key, Daily rejects these tokens';

export const MIN_KEY_LENGTH = 32;
/** Daily's API keys: 64 hex digits. */
const DAILY_KEY = /^[0-9a-f]{64}$/i;

export interface ApiKey {
  key: string;
  source: 'DAILY_API_KEY' | 'DAILY_API_KEY_FILE' | 'demo';
}

export interface KeyOptions {
  allowWeakKey: boolean;
  /** The job allows the demo key when no key is configured. */
  demoAllowed: boolean;
}

export function loadApiKey(env: NodeJS.ProcessEnv, options: KeyOptions): ApiKey {
  const fromEnv = env['DAILY_API_KEY'];
  const file = env['DAILY_API_KEY_FILE'];
  if (fromEnv && file) {
    throw new MeetingTokensError('KEY_MISSING', 'both DAILY_API_KEY and DAILY_API_KEY_FILE are set; keep one');
  }
  let apiKey: ApiKey;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new MeetingTokensError(
        'KEY_MISSING',
        `DAILY_API_KEY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    // Secret files usually end with a newline that is not part of the key; nothing else is taken off.
    apiKey = { key: text.replace(/\r?\n$/, ''), source: 'DAILY_API_KEY_FILE' };
  } else if (fromEnv) {
    apiKey = { key: fromEnv, source: 'DAILY_API_KEY' };
  } else if (options.demoAllowed) {
    return { key: DEMO_KEY, source: 'demo' };
  } else {
    throw new MeetingTokensError(
      'KEY_MISSING',
      'no API key: set DAILY_API_KEY, or DAILY_API_KEY_FILE to a file holding it (Daily dashboard > Developers)',
    );
  }
  checkKey(apiKey, options.allowWeakKey);
  return apiKey;
}

/**
 * A key that is not what the user meant signs a whole batch that Daily rejects, so doubt is
 * refused: whitespace or quotes around it (a shell or .env quoting slip) always, and anything but
 * Daily's 64 hex digits unless --allow-weak-key. Messages give sizes and kinds, never the key.
 */
function checkKey({ key, source }: ApiKey, allowWeakKey: boolean): void {
  if (key.length === 0) throw new MeetingTokensError('KEY_MISSING', `${source} is empty`);
  const file = source === 'DAILY_API_KEY_FILE' ? ' (only one trailing newline is ignored)' : '';
  if (/^\s|\s$/.test(key)) {
    throw new MeetingTokensError('KEY_INVALID', `${source}: the key has whitespace before or after it${file}; remove it`);
  }
  if (/^["'`]|["'`]$/.test(key)) {
    throw new MeetingTokensError('KEY_INVALID', `${source}: the key is wrapped in quotes, which are not part of it; remove them`);
  }
  if (allowWeakKey) return;
  if (key.length < MIN_KEY_LENGTH) {
    throw new MeetingTokensError(
      'KEY_WEAK',
      `${source}: the key has ${plural(key.length, 'character')}, at least ${MIN_KEY_LENGTH} are required (Daily keys have 64); --allow-weak-key overrides`,
    );
  }
  if (!DAILY_KEY.test(key)) {
    const what = /^[0-9a-f]*$/i.test(key) ? `${key.length} hex digits` : `${key.length} characters, not all hex digits`;
    throw new MeetingTokensError(
      'KEY_WEAK',
      `${source}: the key has ${what}; Daily's API keys are 64 hex digits (Daily dashboard > Developers); --allow-weak-key overrides`,
    );
  }
}
