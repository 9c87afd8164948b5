import { describe, expect, it } from 'vitest';
import { loadApiKey, DEMO_KEY } from '../../src/config/api-key.js';
import { tempDir, writeFile, KEY } from '../helpers.js';

const strict = { allowWeakKey: false, demoAllowed: false };

describe('API key', () => {
  it('comes from DAILY_API_KEY or from the file DAILY_API_KEY_FILE names', () => {
    expect(loadApiKey({ DAILY_API_KEY: KEY }, strict)).toEqual({ key: KEY, source: 'DAILY_API_KEY' });
    const file = writeFile(tempDir(), 'key', `${KEY}\r\n`);
    expect(loadApiKey({ DAILY_API_KEY_FILE: file }, strict)).toEqual({ key: KEY, source: 'DAILY_API_KEY_FILE' });
  });

  it.each([
    ['nothing set', {}, 'KEY_MISSING', /no API key: set DAILY_API_KEY/],
    ['both set', { DAILY_API_KEY: KEY, DAILY_API_KEY_FILE: '/x' }, 'KEY_MISSING', /both DAILY_API_KEY and DAILY_API_KEY_FILE are set/],
    [
      'an unreadable file',
      { DAILY_API_KEY_FILE: '/nonexistent/key' },
      'KEY_MISSING',
      'DAILY_API_KEY_FILE: cannot read /nonexistent/key (ENOENT)',
    ],
    ['a short key', { DAILY_API_KEY: 'abc123' }, 'KEY_WEAK', 'DAILY_API_KEY: the key has 6 characters, at least 32 are required'],
  ])('refuses %s, never quoting the key', (_name, env, code, message) => {
    expect(() => loadApiKey(env, strict)).toThrow(expect.objectContaining({ code }));
    expect(() => loadApiKey(env, strict)).toThrow(message);
    try {
      loadApiKey(env, strict);
    } catch (error) {
      expect((error as Error).message).not.toContain('abc123');
    }
  });

  it.each([
    ['in double quotes', { DAILY_API_KEY: `"${KEY}"` }, 'DAILY_API_KEY: the key is wrapped in quotes, which are not part of it'],
    ['in single quotes', { DAILY_API_KEY: `'${KEY}'` }, 'DAILY_API_KEY: the key is wrapped in quotes'],
    ['after a space', { DAILY_API_KEY: ` ${KEY}` }, 'DAILY_API_KEY: the key has whitespace before or after it; remove it'],
    ['before a newline', { DAILY_API_KEY: `${KEY}\n` }, 'DAILY_API_KEY: the key has whitespace before or after it'],
  ])('refuses a key %s, even with allowWeakKey, never quoting it', (_name, env, message) => {
    for (const allowWeakKey of [false, true]) {
      expect(() => loadApiKey(env, { allowWeakKey, demoAllowed: false })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
      expect(() => loadApiKey(env, { allowWeakKey, demoAllowed: false })).toThrow(message);
      expect(() => loadApiKey(env, { allowWeakKey, demoAllowed: false })).not.toThrow(KEY);
    }
  });

  it('takes one trailing newline off a key file and nothing else', () => {
    const dir = tempDir();
    for (const text of [`${KEY}\n`, `${KEY}\r\n`, KEY]) {
      expect(loadApiKey({ DAILY_API_KEY_FILE: writeFile(dir, 'key', text) }, strict).key).toBe(KEY);
    }
    for (const text of [`${KEY}\n\n`, ` ${KEY}\n`, `${KEY} \n`, `${KEY}\t`]) {
      const file = writeFile(dir, 'key', text);
      expect(() => loadApiKey({ DAILY_API_KEY_FILE: file }, strict)).toThrow(
        'DAILY_API_KEY_FILE: the key has whitespace before or after it (only one trailing newline is ignored); remove it',
      );
    }
    expect(() => loadApiKey({ DAILY_API_KEY_FILE: writeFile(dir, 'key', `"${KEY}"\n`) }, strict)).toThrow(/wrapped in quotes/);
  });

  it.each([
    [
      '64 characters, not hex',
      'g'.repeat(64),
      "DAILY_API_KEY: the key has 64 characters, not all hex digits; Daily's API keys are 64 hex digits",
    ],
    ['63 hex digits', KEY.slice(1), "DAILY_API_KEY: the key has 63 hex digits; Daily's API keys are 64 hex digits"],
    ['65 hex digits', `${KEY}0`, 'DAILY_API_KEY: the key has 65 hex digits'],
  ])('refuses a key of %s unless allowWeakKey', (_name, key, message) => {
    expect(() => loadApiKey({ DAILY_API_KEY: key }, strict)).toThrow(expect.objectContaining({ code: 'KEY_WEAK' }));
    expect(() => loadApiKey({ DAILY_API_KEY: key }, strict)).toThrow(message);
    expect(loadApiKey({ DAILY_API_KEY: key }, { allowWeakKey: true, demoAllowed: false }).key).toBe(key);
    expect(loadApiKey({ DAILY_API_KEY: KEY.toUpperCase() }, strict).key).toBe(KEY.toUpperCase());
  });

  it('accepts a short key with allowWeakKey, and the demo key only where the job allows it', () => {
    expect(loadApiKey({ DAILY_API_KEY: 'abc123' }, { allowWeakKey: true, demoAllowed: false }).key).toBe('abc123');
    expect(loadApiKey({}, { allowWeakKey: false, demoAllowed: true })).toEqual({ key: DEMO_KEY, source: 'demo' });
    expect(loadApiKey({ DAILY_API_KEY: KEY }, { allowWeakKey: false, demoAllowed: true }).source).toBe('DAILY_API_KEY');
  });
});
