/**
 * Where the signing key comes from: DAILY_API_KEY, or DAILY_API_KEY_FILE (a file holding it, as
 * Docker and Kubernetes secrets provide). The key itself never enters an error or a log line.
 */
import { readFileSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';

/**
 * Public, clearly fake key for the bundled example job only. Tokens signed with it are
 * well-formed but Daily rejects them: no real domain uses this key.
 */
export const DEMO_KEY = 'DEMO-KEY-not-a-Daily-key-Daily-rejects-tokens-signed-with-it';

export const MIN_KEY_LENGTH = 32;

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
    // Secret files usually end with a newline that is not part of the key.
    apiKey = { key: text.trim(), source: 'DAILY_API_KEY_FILE' };
  } else if (fromEnv) {
    apiKey = { key: fromEnv.trim(), source: 'DAILY_API_KEY' };
  } else if (options.demoAllowed) {
    return { key: DEMO_KEY, source: 'demo' };
  } else {
    throw new MeetingTokensError(
      'KEY_MISSING',
      'no API key: set DAILY_API_KEY, or DAILY_API_KEY_FILE to a file holding it (Daily dashboard > Developers)',
    );
  }
  if (apiKey.key.length === 0) throw new MeetingTokensError('KEY_MISSING', `${apiKey.source} is empty`);
  if (apiKey.key.length < MIN_KEY_LENGTH && !options.allowWeakKey) {
    throw new MeetingTokensError(
      'KEY_WEAK',
      `${apiKey.source}: the key has ${apiKey.key.length} characters, at least ${MIN_KEY_LENGTH} are required (Daily keys have 64); --allow-weak-key overrides`,
    );
  }
  return apiKey;
}
