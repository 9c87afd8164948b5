import { describe, expect, it } from 'vitest';
import { localeProblem, resolveTimeFormat, timeZoneProblem, TIME_FORMAT_PRESETS } from '../../src/output/time-format.js';

describe('time zone, locale and time_format checks', () => {
  it('takes IANA zones in any case, and says which one was meant', () => {
    expect(timeZoneProblem('Europe/Berlin')).toBeUndefined();
    expect(timeZoneProblem('europe/berlin')).toBeUndefined();
    expect(timeZoneProblem('UTC')).toBeUndefined();
    expect(timeZoneProblem('Asia/Kathmandu')).toBeUndefined();
    expect(timeZoneProblem('Berlin')).toBe(
      '"Berlin" is not an IANA time zone (did you mean Europe/Berlin?); e.g. Europe/Berlin, America/New_York, UTC',
    );
    expect(timeZoneProblem('Sao Paulo')).toContain('(did you mean America/Sao_Paulo?)');
    expect(timeZoneProblem('Europe/Berln')).toContain('(did you mean Europe/Berlin?)');
    expect(timeZoneProblem('GMT+1')).toContain('"GMT+1" is not an IANA time zone');
    expect(timeZoneProblem('')).toContain('is not an IANA time zone');
  });

  it('takes locales the runtime can format in, and says how to spell a POSIX one', () => {
    for (const tag of ['en-GB', 'en', 'de-DE', 'pt-BR', 'ja-JP', 'fr-CA']) expect(localeProblem(tag)).toBeUndefined();
    expect(localeProblem('en_US')).toBe('"en_US" is not a BCP 47 locale (did you mean en-US?); e.g. en-GB, de-DE, fr');
    expect(localeProblem('english')).toBe('"english" is not a locale this runtime can format dates in; e.g. en-GB, de-DE, fr');
    expect(localeProblem('not a locale')).toContain('is not a BCP 47 locale;');
  });

  it('resolves a preset by name and names the nearest for a typo', () => {
    expect(resolveTimeFormat('short')).toEqual({ options: TIME_FORMAT_PRESETS['short'] });
    expect(resolveTimeFormat('shrot')).toEqual({
      problem:
        'unknown preset "shrot" (did you mean short?); presets: short, long, date, time, numeric, or give Intl.DateTimeFormat options',
    });
  });

  it('checks an options object key by key and by Intl', () => {
    expect(resolveTimeFormat({ hour: 'numeric', minute: '2-digit', timeZoneName: 'shortOffset' })).toEqual({
      options: { hour: 'numeric', minute: '2-digit', timeZoneName: 'shortOffset' },
    });
    expect(resolveTimeFormat({ dateStyle: 'full', timeStyle: 'short' })).toEqual({ options: { dateStyle: 'full', timeStyle: 'short' } });
    expect(resolveTimeFormat({ hours: 'numeric' })).toEqual({ problem: 'unknown option "hours" (did you mean hour?)' });
    expect(resolveTimeFormat({ timeZone: 'Europe/Berlin' })).toEqual({
      problem: 'timeZone: set the time zone with timezone (or a timezone column), not in the format',
    });
    expect(resolveTimeFormat({ weekday: 'longg' })).toEqual({ problem: expect.stringContaining('longg') });
    expect(resolveTimeFormat({ dateStyle: 'full', hour: 'numeric' })).toEqual({ problem: expect.stringContaining('dateStyle') });
    expect(resolveTimeFormat({ hour: { a: 1 } })).toEqual({ problem: 'hour: must be a string, number or boolean' });
    expect(resolveTimeFormat({})).toEqual({ problem: 'has no options; name a preset or give at least one option' });
    expect(resolveTimeFormat(['short'])).toEqual({ problem: expect.stringContaining('must be a preset') });
    expect(resolveTimeFormat(5)).toEqual({ problem: expect.stringContaining('must be a preset') });
  });

  it('keeps every preset a valid Intl format', () => {
    for (const options of Object.values(TIME_FORMAT_PRESETS)) expect(resolveTimeFormat({ ...options })).toEqual({ options });
  });
});
