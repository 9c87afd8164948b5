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

  it('accepts a short key with allowWeakKey, and the demo key only where the job allows it', () => {
    expect(loadApiKey({ DAILY_API_KEY: 'abc123' }, { allowWeakKey: true, demoAllowed: false }).key).toBe('abc123');
    expect(loadApiKey({}, { allowWeakKey: false, demoAllowed: true })).toEqual({ key: DEMO_KEY, source: 'demo' });
    expect(loadApiKey({ DAILY_API_KEY: KEY }, { allowWeakKey: false, demoAllowed: true }).source).toBe('DAILY_API_KEY');
  });
});
