import { describe, expect, it, vi } from 'vitest';
import { JOB_DEFAULTS } from '../../src/config/job-defaults.js';
import { jobSchema } from '../../src/config/job-schema.js';
import { buildRunConfig } from '../../src/config/run-config.js';
import { buildProgram } from '../../src/cli/program.js';
import { DOMAIN_ID } from '../helpers.js';

// Every default changed, so that a default written anywhere but job-defaults.ts shows as a difference.
vi.mock('../../src/config/job-defaults.js', () => ({
  JOB_DEFAULTS: {
    ttl: '2d',
    max_ttl: '20d',
    allow_all_rooms: true,
    escape_formulas: false,
    max_reject_ratio: 0.25,
    max_token_length: 1000,
    demo_key: true,
    timezone: 'Europe/Berlin',
    catch_up: false,
    keep: 3,
  },
  LINKS_DEFAULTS: { mint: 'stored' },
  TOKEN_LENGTH_RANGE: { min: 256, max: 8192 },
}));

const DAY = 86400;

function help(command: string): string {
  return buildProgram()
    .commands.find((c) => c.name() === command)!
    .helpInformation()
    .replace(/\s+/g, ' ');
}

describe('job defaults, written once', () => {
  it('are what the schema gives a job file that leaves the keys out, and every schema default is one of them', () => {
    const parsed = jobSchema.parse({ roster: 'r.csv', out: 'out' });
    const { roster, out, ...defaulted } = parsed;
    expect([roster, out]).toEqual(['r.csv', 'out']);
    expect(defaulted).toEqual(JOB_DEFAULTS);
    expect(JOB_DEFAULTS.ttl).toBe('2d'); // the mock is in force
  });

  it('are what a run without a job file gets', () => {
    const config = buildRunConfig(undefined, { roster: 'roster.csv', out: 'out', domainId: DOMAIN_ID });
    expect(config).toMatchObject({
      ttlSeconds: 2 * DAY,
      maxTtlSeconds: 20 * DAY,
      allowAllRooms: true,
      escapeFormulas: false,
      maxRejectRatio: 0.25,
      maxTokenLength: 1000,
      demoKey: true,
    });
  });

  it('are what --help shows', () => {
    const run = help('run');
    expect(run).toContain('(job default 2d)');
    expect(run).toContain('(job default 20d, at most 366d)');
    expect(run).toContain('(job default 0.25)');
    expect(run).toContain('(job default 1000,');
    const schedule = help('schedule');
    expect(schedule).toContain('default Europe/Berlin');
    expect(schedule).toContain('(catch_up: true)');
  });

  it("are what a job's links: block and --links-base-url get for mint", () => {
    expect(jobSchema.parse({ roster: 'r.csv', out: 'out', links: { base_url: 'https://join.example.com' } }).links?.mint).toBe('stored');
    const config = buildRunConfig(undefined, {
      roster: 'roster.csv',
      out: 'out',
      domainId: DOMAIN_ID,
      domainName: 'my-team',
      linksBaseUrl: 'https://join.example.com/',
    });
    expect(config.links).toEqual({ baseUrl: 'https://join.example.com', db: undefined, mint: 'stored' });
  });
});
