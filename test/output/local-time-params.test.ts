import { describe, expect, it } from 'vitest';
import { localTimeOf, localTimeParams, type LocalTimeConfig } from '../../src/output/local-time-params.js';
import { TIME_FORMAT_PRESETS } from '../../src/output/time-format.js';
import { Rejection } from '../../src/claims/rejection.js';

const config = (over: Partial<LocalTimeConfig> = {}): LocalTimeConfig => ({
  timeZone: 'Europe/Berlin',
  locale: 'en-GB',
  formatKey: 'short',
  options: TIME_FORMAT_PRESETS['short']!,
  timeZoneColumn: undefined,
  localeColumn: undefined,
  ...over,
});
const monday = Date.parse('2025-12-01T09:00:00Z') / 1000;

describe('local-time columns as output columns', () => {
  it('finds the per-row columns by header, as written or folded, and carries them as plain data to another thread', () => {
    const headers = ['Email', 'Time Zone', 'language'];
    const params = localTimeParams(config({ timeZoneColumn: 'time_zone', localeColumn: 'language' }), headers);
    expect(params).toMatchObject({ timeZoneIndex: 1, timeZoneHeader: 'Time Zone', localeIndex: 2, localeHeader: 'language' });
    const column = structuredClone({ name: 'JOINEXP', source: 'expires_local', params });
    const time = localTimeOf(column, column.params);
    expect(time(monday, ['a@example.com', 'Asia/Kolkata', 'de-DE'])).toBe('Mo., 1. Dez. 2025, 14:30 GMT+5:30');
    expect(time(monday, ['a@example.com', '', ''])).toBe('Mon, 1 Dec 2025, 10:00 CET');
    expect(() => time(monday, ['a@example.com', 'Nowhere', ''])).toThrow(
      new Rejection('Time Zone: "Nowhere" is not an IANA time zone; e.g. Europe/Berlin, America/New_York, UTC'),
    );
    expect(localTimeOf(column, column.params)).toBe(time);
  });

  it('formats an options object the job gave', () => {
    const params = localTimeParams(
      config({ formatKey: '{"hour":"numeric","minute":"2-digit"}', options: { hour: 'numeric', minute: '2-digit' } }),
      [],
    );
    expect(localTimeOf({}, params)(monday, [])).toBe('10:00');
  });

  it('refuses a per-row column the roster does not have, naming the nearest header (exit 2)', () => {
    expect(() => localTimeParams(config({ timeZoneColumn: 'Timezone' }), ['Email', 'Time Zon'])).toThrow(
      expect.objectContaining({
        code: 'ROSTER_HEADER',
        message: 'output.timezone_column: the roster has no column "Timezone" (did you mean Time Zon?); name one of its headers',
      }),
    );
    expect(() => localTimeParams(config({ localeColumn: 'Locale' }), ['Email'])).toThrow(
      'output.locale_column: the roster has no column "Locale";',
    );
  });
});
