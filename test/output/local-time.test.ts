import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLocalTime, type LocalTimeSettings } from '../../src/output/local-time.js';
import { cachedFormatter, cachedFormatterCount, TIME_FORMAT_PRESETS } from '../../src/output/time-format.js';
import { Rejection } from '../../src/claims/rejection.js';

// The built modules (CLI tests run dist/ too): a child process with another TZ and language runs them.
const dist = (file: string): string => fileURLToPath(new URL(`../../dist/output/${file}`, import.meta.url));
const at = (iso: string): number => Date.parse(iso) / 1000;
const settings = (over: Partial<LocalTimeSettings> = {}): LocalTimeSettings => ({
  timeZone: 'Europe/Berlin',
  locale: 'en-GB',
  formatKey: 'short',
  options: TIME_FORMAT_PRESETS['short']!,
  ...over,
});
const preset = (name: string): Partial<LocalTimeSettings> => ({ formatKey: name, options: TIME_FORMAT_PRESETS[name]! });

describe('expires_local and not_before_local', () => {
  it('reads as an email would say it, in each preset', () => {
    const monday = at('2025-12-01T09:00:00Z');
    expect(createLocalTime(settings())(monday, [])).toBe('Mon, 1 Dec 2025, 10:00 CET');
    expect(createLocalTime(settings(preset('long')))(monday, [])).toBe('Monday, 1 December 2025 at 10:00 Central European Standard Time');
    expect(createLocalTime(settings(preset('date')))(monday, [])).toBe('Monday, 1 December 2025');
    expect(createLocalTime(settings(preset('time')))(monday, [])).toBe('10:00 CET');
    expect(createLocalTime(settings(preset('numeric')))(monday, [])).toBe('01/12/2025, 10:00 CET');
    expect(createLocalTime(settings({ locale: 'de-DE' }))(monday, [])).toBe('Mo., 1. Dez. 2025, 10:00 MEZ');
    expect(createLocalTime(settings({ timeZone: 'America/New_York', locale: 'en-US' }))(monday, [])).toBe('Mon, Dec 1, 2025, 4:00 AM EST');
  });

  it('is empty for a row without the time (no not_before)', () => {
    expect(createLocalTime(settings())(undefined, [])).toBe('');
  });

  it('crosses daylight saving edges with the right wall clock and zone name', () => {
    const time = createLocalTime(settings(preset('time')));
    // Europe/Berlin: 02:00 CET jumps to 03:00 CEST; 03:00 CEST falls back to 02:00 CET.
    expect(time(at('2026-03-29T00:59:00Z'), [])).toBe('01:59 CET');
    expect(time(at('2026-03-29T01:00:00Z'), [])).toBe('03:00 CEST');
    expect(time(at('2026-10-25T00:30:00Z'), [])).toBe('02:30 CEST');
    expect(time(at('2026-10-25T01:30:00Z'), [])).toBe('02:30 CET');
    const newYork = createLocalTime(settings({ ...preset('time'), timeZone: 'America/New_York', locale: 'en-US' }));
    expect(newYork(at('2026-03-08T06:59:00Z'), [])).toBe('1:59 AM EST');
    expect(newYork(at('2026-03-08T07:00:00Z'), [])).toBe('3:00 AM EDT');
  });

  it('handles half- and quarter-hour zones, on their own daylight saving edges too', () => {
    const time = (zone: string, locale: string, iso: string): string =>
      createLocalTime(settings({ ...preset('time'), timeZone: zone, locale }))(at(iso), []);
    expect(time('Asia/Kolkata', 'en-GB', '2025-12-01T09:00:00Z')).toBe('14:30 GMT+5:30');
    expect(time('Asia/Kathmandu', 'en-GB', '2025-12-01T09:00:00Z')).toBe('14:45 GMT+5:45');
    // Adelaide leaves daylight saving (+10:30 -> +9:30) at 03:00 local on 5 April 2026.
    expect(time('Australia/Adelaide', 'en-AU', '2026-04-04T16:29:00Z')).toBe('2:59 am ACDT');
    expect(time('Australia/Adelaide', 'en-AU', '2026-04-04T16:30:00Z')).toBe('2:00 am ACST');
    // St. John's (-3:30) enters daylight saving at 02:00 local on 8 March 2026.
    expect(time('America/St_Johns', 'en-CA', '2026-03-08T05:29:00Z')).toBe('1:59 a.m. NST');
    expect(time('America/St_Johns', 'en-CA', '2026-03-08T05:30:00Z')).toBe('3:00 a.m. NDT');
  });

  it('takes a row its own time zone and locale, an empty cell the job value', () => {
    const time = createLocalTime(
      settings({ timeZoneColumn: { index: 1, header: 'Time Zone' }, localeColumn: { index: 2, header: 'Language' } }),
    );
    const monday = at('2025-12-01T09:00:00Z');
    expect(time(monday, ['a', '', ''])).toBe('Mon, 1 Dec 2025, 10:00 CET');
    expect(time(monday, ['a', ' Asia/Kolkata ', ''])).toBe('Mon, 1 Dec 2025, 14:30 GMT+5:30');
    expect(time(monday, ['a', '', 'de-DE'])).toBe('Mo., 1. Dez. 2025, 10:00 MEZ');
    expect(time(monday, ['a', 'America/New_York', 'en-US'])).toBe('Mon, Dec 1, 2025, 4:00 AM EST');
    expect(time(undefined, ['a', 'Asia/Kolkata', ''])).toBe('');
  });

  it('rejects a row whose time zone or locale is not one, naming the column and the value', () => {
    const time = createLocalTime(
      settings({ timeZoneColumn: { index: 0, header: 'Time Zone' }, localeColumn: { index: 1, header: 'Language' } }),
    );
    const monday = at('2025-12-01T09:00:00Z');
    expect(() => time(monday, ['Mars/Olympus', ''])).toThrow(Rejection);
    expect(() => time(monday, ['Mars/Olympus', ''])).toThrow('Time Zone: "Mars/Olympus" is not an IANA time zone');
    expect(() => time(monday, ['Europe/Berln', ''])).toThrow('(did you mean Europe/Berlin?)');
    expect(() => time(monday, ['', 'en_US'])).toThrow('Language: "en_US" is not a BCP 47 locale (did you mean en-US?)');
    expect(() => time(monday, ['', 'xx'])).toThrow('Language: "xx" is not a locale this runtime can format dates in');
    // A bad cell rejects the row even where it has no time to show.
    expect(() => time(undefined, ['Mars/Olympus', ''])).toThrow(Rejection);
    expect(() => time(monday, ['x'.repeat(500), ''])).toThrow(/"x{64}\.\.\." is not/);
  });

  it('formats as Intl does for any time and zone, whatever order rows come in (the memo never shows a stale time)', () => {
    const zones = ['Europe/Berlin', 'Asia/Kolkata', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    const locales = ['en-GB', 'en-US', 'de-DE', 'ja-JP', 'ar-EG'];
    const seconds = fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2099-12-31T00:00:00Z') });
    const row = fc.record({ zone: fc.constantFrom('', ...zones), locale: fc.constantFrom('', ...locales), seconds: fc.option(seconds) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const time = createLocalTime(settings({ timeZoneColumn: { index: 0, header: 'tz' }, localeColumn: { index: 1, header: 'lang' } }));
        for (const r of rows) {
          const options = { ...TIME_FORMAT_PRESETS['short'], timeZone: r.zone || 'Europe/Berlin' };
          const expected = r.seconds === null ? '' : new Intl.DateTimeFormat(r.locale || 'en-GB', options).format(r.seconds * 1000);
          expect(time(r.seconds ?? undefined, [r.zone, r.locale])).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays right past the memo of distinct times, whatever comes back', () => {
    const time = createLocalTime(settings(preset('numeric')));
    const oracle = new Intl.DateTimeFormat('en-GB', { ...TIME_FORMAT_PRESETS['numeric'], timeZone: 'Europe/Berlin' });
    const base = at('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5000; i++) {
      const seconds = base + ((i * 7919) % 2500) * 60;
      expect(time(seconds, [])).toBe(oracle.format(seconds * 1000));
    }
  });

  it('makes one formatter per (time zone, locale, format)', () => {
    const options = { hour: 'numeric', minute: '2-digit' };
    const before = cachedFormatterCount();
    const a = cachedFormatter('Asia/Tokyo', 'fr-FR', '{"hour":"numeric","minute":"2-digit"}', options);
    expect(cachedFormatter('Asia/Tokyo', 'fr-FR', '{"hour":"numeric","minute":"2-digit"}', options)).toBe(a);
    expect(cachedFormatterCount()).toBe(before + 1);
    expect(cachedFormatter('Asia/Tokyo', 'fr-FR', 'time', TIME_FORMAT_PRESETS['time']!)).not.toBe(a);
    expect(cachedFormatter('Asia/Seoul', 'fr-FR', '{"hour":"numeric","minute":"2-digit"}', options)).not.toBe(a);
    expect(cachedFormatterCount()).toBe(before + 3);
  });

  it('writes the same text whatever the process time zone and language', () => {
    const script = `
      import { createLocalTime } from ${JSON.stringify(dist('local-time.js'))};
      import { TIME_FORMAT_PRESETS } from ${JSON.stringify(dist('time-format.js'))};
      const t = createLocalTime({ timeZone: 'Europe/Berlin', locale: 'en-GB', formatKey: 'short', options: TIME_FORMAT_PRESETS.short });
      process.stdout.write(t(${at('2026-03-29T01:00:00Z')}, []));`;
    const run = (env: Record<string, string>): string =>
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
    const expected = 'Sun, 29 Mar 2026, 03:00 CEST';
    expect(run({ TZ: 'America/Sao_Paulo', LANG: 'pt_BR.UTF-8', LC_ALL: 'pt_BR.UTF-8' })).toBe(expected);
    expect(run({ TZ: 'Asia/Kolkata', LANG: 'C', LC_ALL: 'C' })).toBe(expected);
  });
});
