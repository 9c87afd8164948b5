import { describe, expect, it, vi } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadJob } from '../../src/config/load-job.js';
import { buildRunConfig } from '../../src/config/run-config.js';
import { buildLocalTimeConfig } from '../../src/config/local-time-config.js';
import { TIME_FORMAT_PRESETS } from '../../src/output/time-format.js';
import { runCli, tempDir, writeFile, DOMAIN_ID, NOW } from '../helpers.js';

const BASE = `roster: r.csv\nout: out\ndomain_id: ${DOMAIN_ID}\n`;
const job = (yaml: string) => loadJob(writeFile(tempDir(), 'batch.yaml', `${BASE}${yaml}\n`));

describe('local-time settings: output.timezone, locale, time_format and their flags', () => {
  it('defaults to the job timezone, en-GB and the short preset', () => {
    expect(buildRunConfig(job(''), {}).localTime).toEqual({
      timeZone: 'UTC',
      locale: 'en-GB',
      formatKey: 'short',
      options: TIME_FORMAT_PRESETS['short'],
      timeZoneColumn: undefined,
      localeColumn: undefined,
    });
    expect(buildRunConfig(job('timezone: Europe/Berlin'), {}).localTime.timeZone).toBe('Europe/Berlin');
    expect(buildRunConfig(undefined, { roster: 'r.csv', out: 'out' }).localTime.timeZone).toBe('UTC');
  });

  it('looks nothing up in Intl for a run that gives no local-time flag (the first zone lookup costs 8 MB)', () => {
    const made = vi.spyOn(Intl, 'DateTimeFormat');
    const supported = vi.spyOn(Intl.DateTimeFormat, 'supportedLocalesOf');
    try {
      buildRunConfig(undefined, { roster: 'r.csv', out: 'out' });
      expect(made).not.toHaveBeenCalled();
      expect(supported).not.toHaveBeenCalled();
      buildRunConfig(undefined, { roster: 'r.csv', out: 'out', timezone: 'Asia/Tokyo' });
      expect(made).toHaveBeenCalled();
    } finally {
      made.mockRestore();
      supported.mockRestore();
    }
  });

  it('takes the output block over the job timezone, and flags over both', () => {
    const loaded = job(
      'timezone: Europe/Berlin\noutput: { timezone: Asia/Kolkata, locale: de-DE, time_format: { hour: numeric, minute: 2-digit }, timezone_column: Zone, locale_column: Lang }',
    );
    expect(buildRunConfig(loaded, {}).localTime).toEqual({
      timeZone: 'Asia/Kolkata',
      locale: 'de-DE',
      formatKey: '{"hour":"numeric","minute":"2-digit"}',
      options: { hour: 'numeric', minute: '2-digit' },
      timeZoneColumn: 'Zone',
      localeColumn: 'Lang',
    });
    expect(
      buildRunConfig(loaded, { timezone: 'UTC', locale: 'fr', timeFormat: 'long', timezoneColumn: 'TZ', localeColumn: 'L' }).localTime,
    ).toMatchObject({ timeZone: 'UTC', locale: 'fr', formatKey: 'long', timeZoneColumn: 'TZ', localeColumn: 'L' });
    expect(buildLocalTimeConfig(undefined, 'UTC', { timeFormat: ' {"timeStyle":"short"}' }, undefined).options).toEqual({
      timeStyle: 'short',
    });
  });

  it.each([
    ['output: { timezone: Berlin }', 'output.timezone: "Berlin" is not an IANA time zone (did you mean Europe/Berlin?)'],
    ['output: { locale: en_GB }', 'output.locale: "en_GB" is not a BCP 47 locale (did you mean en-GB?)'],
    ['output: { time_format: shrot }', 'output.time_format: unknown preset "shrot" (did you mean short?)'],
    ['output: { time_format: { hours: numeric } }', 'output.time_format: unknown option "hours" (did you mean hour?)'],
    ['output: { time_format: { weekday: longg } }', 'output.time_format: Value longg out of range'],
    ['output: { timezone_column: "" }', 'output.timezone_column: must name a roster column by its header'],
    ['output: { time_zone: UTC }', 'output.time_zone: unknown key (did you mean output.timezone?)'],
    ['timezone: Europe/Berln', 'timezone: "Europe/Berln" is not an IANA time zone (did you mean Europe/Berlin?)'],
  ])('a job file with %s is a config error naming the key', (yaml, message) => {
    expect(() => job(yaml)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => job(yaml)).toThrow(message);
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, '--timezone: "Mars/Olympus" is not an IANA time zone'],
    [{ locale: 'english' }, '--locale: "english" is not a locale this runtime can format dates in'],
    [{ timeFormat: 'tiny' }, '--time-format: unknown preset "tiny"'],
    [{ timeFormat: '{hour: numeric}' }, '--time-format: options must be a JSON object'],
    [{ timeFormat: '{"timeZone":"UTC"}' }, '--time-format: timeZone: set the time zone with timezone'],
    [{ timezoneColumn: ' ' }, '--timezone-column: must name a roster column by its header'],
  ])('a flag %j is a config error naming the flag', (flags, message) => {
    expect(() => buildRunConfig(undefined, { roster: 'r.csv', out: 'out', ...flags })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });

  it('the built CLI stops at start, exit 2, one line with the hint, nothing written', async () => {
    const dir = tempDir();
    writeFile(dir, 'r.csv', 'email,room\nada@example.com,demo\n');
    writeFile(dir, 'batch.yaml', `${BASE}output: { timezone: Sao Paulo }\n`);
    const fromJob = await runCli(['run', join(dir, 'batch.yaml'), '--now', NOW, '--log-level', 'silent']);
    expect(fromJob.code).toBe(2);
    expect(fromJob.stderr.trim().split('\n')).toEqual([
      `meeting-tokens: ${join(dir, 'batch.yaml')}: output.timezone: "Sao Paulo" is not an IANA time zone (did you mean America/Sao_Paulo?); e.g. Europe/Berlin, America/New_York, UTC`,
    ]);
    const flags = ['--roster', join(dir, 'r.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--time-format', 'shrot'];
    const fromFlag = await runCli(['run', ...flags, '--now', NOW]);
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr.trim().split('\n')).toHaveLength(1);
    expect(fromFlag.stderr).toContain('--time-format: unknown preset "shrot" (did you mean short?)');
    expect(readdirSync(dir).sort()).toEqual(['batch.yaml', 'r.csv']);
  });
});
