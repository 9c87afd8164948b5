import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadJob, findJobFile, listJobNames } from '../../src/config/load-job.js';
import { buildRunConfig } from '../../src/config/run-config.js';
import { parseDuration } from '../../src/config/duration.js';
import { tempDir, writeFile, DOMAIN_ID, ROOT } from '../helpers.js';

function job(yaml: string) {
  const dir = tempDir();
  return loadJob(writeFile(dir, 'batch.yaml', yaml));
}

const BASE = `roster: r.csv\nout: out\ndomain_id: ${DOMAIN_ID}\n`;

describe('job files', () => {
  it('loads the bundled example job', () => {
    const loaded = loadJob(join(ROOT, 'jobs', 'example.yaml'));
    const config = buildRunConfig(loaded, {});
    expect(config).toMatchObject({ job: 'example', ttlSeconds: 7 * 86400, maxTtlSeconds: 30 * 86400, demoKey: true, escapeFormulas: true });
    expect(config.rosterPath).toBe(join(ROOT, 'fixtures', 'example-roster.csv'));
  });

  it("says where GET / answers the domain's id and name: at the top level, not inside config", () => {
    const text = readFileSync(join(ROOT, 'jobs', 'example.yaml'), 'utf8');
    expect(text).toContain('GET https://api.daily.co/v1/ -> domain_id and domain_name, at the top level');
    expect(text).not.toMatch(/config\.domain_(id|name)/);
  });

  it('takes max_token_length from the job, and the flag over it', () => {
    expect(buildRunConfig(job(`${BASE}max_token_length: 1024\n`), {}).maxTokenLength).toBe(1024);
    expect(buildRunConfig(job(`${BASE}max_token_length: 1024\n`), { maxTokenLength: 4096 }).maxTokenLength).toBe(4096);
  });

  it('applies defaults: ttl 1d, max_ttl 30d, ratio 0.5, token length 2048, formulas escaped, rooms required', () => {
    expect(buildRunConfig(job(BASE), {})).toMatchObject({
      ttlSeconds: 86400,
      maxTtlSeconds: 30 * 86400,
      maxRejectRatio: 0.5,
      maxTokenLength: 2048,
      escapeFormulas: true,
      allowAllRooms: false,
    });
  });

  it.each([
    ['an unknown key, with the nearest known one', `${BASE}domain_nmae: acme\n`, 'domain_nmae: unknown key (did you mean domain_name?)'],
    [
      'an unknown default',
      `${BASE}defaults:\n  start_vide_off: true\n`,
      'defaults.start_vide_off: unknown key (did you mean defaults.start_video_off?)',
    ],
    ['a wrong type', `${BASE}allow_all_rooms: "sometimes"\n`, 'allow_all_rooms: Invalid input: expected boolean, received string'],
    ['a bad ttl', `${BASE}ttl: 7 days\n`, 'ttl: must be a duration such as 90m, 36h, 7d or 2w'],
    ['a bad uuid', `roster: r.csv\nout: o\ndomain_id: abc-123\n`, 'domain_id: must be a UUID'],
    ['a missing roster', `out: o\n`, 'roster: is required'],
    ['a ratio over 1', `${BASE}max_reject_ratio: 2\n`, 'max_reject_ratio: Too big'],
    ['a column mapping to an unknown column', `${BASE}columns: { email: Mail }\n`, 'columns.email'],
    ['a max_token_length under 256', `${BASE}max_token_length: 100\n`, 'max_token_length: must be from 256 to 8192 characters'],
    ['a max_token_length over 8192', `${BASE}max_token_length: 9000\n`, 'max_token_length: must be from 256 to 8192 characters'],
    ['a fractional max_token_length', `${BASE}max_token_length: 1000.5\n`, 'max_token_length: must be a whole number of characters'],
    ['invalid YAML', `roster: [unclosed\n`, /batch\.yaml line \d+: /],
  ])('refuses %s with a line naming the file and key', (_name, yaml, message) => {
    expect(() => job(yaml)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => job(yaml)).toThrow(message);
  });

  it('lists every problem, one line each', () => {
    expect(() => job(`out: o\nttl: x\nbogus: 1\n`)).toThrow(/batch\.yaml: .*\n.*batch\.yaml: .*\n.*batch\.yaml: /);
  });

  it.each([
    ['ttl over max_ttl', `${BASE}ttl: 40d\n`, 'ttl: 40d is longer than max_ttl 30d'],
    ['an invalid default value', `${BASE}defaults:\n  lang: klingon\n`, /defaults\.lang: "klingon" is not one of Daily's values/],
    [
      'a default self-signed tokens cannot carry',
      `${BASE}defaults:\n  enable_prejoin_ui: true\n`,
      /batch\.yaml: defaults\.enable_prejoin_ui: enable_prejoin_ui cannot be carried by a self-signed token \(Daily documents no abbreviation for it\); set it on the room or the domain instead$/,
    ],
    [
      'a default permissions object with a part Daily documents no abbreviation for',
      `${BASE}defaults:\n  permissions: { canReceive: { byUserId: { u-1: true } } }\n`,
      /batch\.yaml: defaults\.permissions\.canReceive\.byUserId: Daily documents no abbreviation for it/,
    ],
    ['a bad default room', `${BASE}defaults:\n  room_name: a b\n`, /defaults\.room_name: "a b" has characters/],
    ['a not_before without offset', `${BASE}not_before: "2026-12-01T10:00:00"\n`, /not_before: .* has no time zone offset/],
    [
      'an output directory that holds the roster',
      `roster: in/r.csv\nout: in\ndomain_id: ${DOMAIN_ID}\n`,
      /batch\.yaml: out: .*\/in holds the roster r\.csv: published files and retention could replace or delete it/,
    ],
    [
      'an output directory that is the roster',
      `roster: r.csv\nout: ./r.csv\ndomain_id: ${DOMAIN_ID}\n`,
      /batch\.yaml: out: .*\/r\.csv is the roster itself/,
    ],
  ])('refuses %s at start-up', (_name, yaml, message) => {
    const loaded = job(yaml);
    expect(() => buildRunConfig(loaded, {})).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => buildRunConfig(loaded, {})).toThrow(message);
  });

  it('finds a job by name and says which jobs exist when it does not', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFile(join(dir, 'jobs'), 'weekly.yaml', BASE);
    expect(findJobFile('weekly', join(dir, 'jobs'))).toBe(join(dir, 'jobs', 'weekly.yaml'));
    expect(() => findJobFile('daily', join(dir, 'jobs'))).toThrow(
      /no job "daily" in .*jobs\/ \(looked for daily\.yaml\); jobs there: weekly/,
    );
    expect(() => findJobFile('../etc/passwd', join(dir, 'jobs'))).toThrow(/is not a job name/);
  });

  it('refuses two files for one job name (a.yaml beside a.yml), naming both, and lists the job once', () => {
    const jobs = join(tempDir(), 'jobs');
    mkdirSync(jobs);
    writeFile(jobs, 'a.yaml', BASE);
    writeFile(jobs, 'a.yml', BASE);
    writeFile(jobs, 'b.YML', BASE);
    expect(() => findJobFile('a', jobs)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => findJobFile('a', jobs)).toThrow(
      `job a: two files for one job, ${join(jobs, 'a.yaml')} and ${join(jobs, 'a.yml')}; keep one`,
    );
    expect(listJobNames(jobs)).toEqual(['a', 'b']);
    expect(findJobFile('b', jobs)).toBe(join(jobs, 'b.YML'));
  });

  it('refuses a job file over 1 MiB without parsing it, and a duplicate key with its line', () => {
    const big = `${BASE}description: "${'x'.repeat(1024 * 1024)}"\n`;
    expect(() => job(big)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => job(big)).toThrow(/batch\.yaml: over 1 MiB; a job file is a few lines of settings$/);
    expect(() => job(`${BASE}ttl: 1d\ndefaults:\n  lang: en\n  lang: de\n`)).toThrow(/batch\.yaml line 7: lang: duplicate key/);
    expect(() => job(`${BASE}defaults: { lang: en, lang: de }\n`)).toThrow(/batch\.yaml line 4: lang: duplicate key/);
    expect(() => job(`${BASE}roster: other.csv\n`)).toThrow(/batch\.yaml line 4: roster: duplicate key/);
  });

  it('parses a job file of 100,000 keys (1 MiB) in linear time, naming the first unknown keys and counting the rest', () => {
    let yaml = BASE;
    for (let i = 0; yaml.length < 1024 * 1024 - 20; i++) yaml += `k${i}: 1\n`;
    let message = '';
    try {
      job(yaml);
    } catch (error) {
      message = (error as Error).message;
    }
    // The yaml package's own duplicate check took 26 s for 50,000 keys (quadratic, over 40 s
    // here at this size: the test's timeout); this parse is about 3 s of CPU.
    expect(message).toMatch(/batch\.yaml: k0: unknown key.*; k9: unknown key[^;]*; and 10\d{4} more unknown keys$/);
  }, 40_000);

  it('lets flags override the job file', () => {
    const config = buildRunConfig(job(`${BASE}ttl: 2d\n`), { ttl: '90m', domainName: 'acme' });
    expect(config.ttlSeconds).toBe(5400);
    expect(config.domainName).toBe('acme');
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90],
    ['90m', 5400],
    ['36h', 129600],
    ['7d', 604800],
    ['2w', 1209600],
    ['1d12h', 129600],
  ])('%s = %i seconds', (text, seconds) => expect(parseDuration(text)).toBe(seconds));
  it.each(['', '7', 'd', '7 d', '1y', '-1d', '0d', '1.5h'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
});
