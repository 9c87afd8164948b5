import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMapper, checkDefaults, formatDuration, type MapperSettings } from '../../src/claims/map-row.js';
import { PROPERTIES, LANGUAGES, LONG_NAME_BY_CLAIM, PROPERTY_BY_NAME } from '../../src/claims/properties.js';
import { Rejection } from '../../src/claims/rejection.js';
import { planColumns } from '../../src/claims/column-plan.js';
import { DOMAIN_ID } from '../helpers.js';

const IAT = 1795773600; // 2026-11-27T10:00:00Z
const DAY = 86400;

function mapper(headers: string[], settings: Partial<MapperSettings> = {}) {
  const plan = planColumns(headers, { roomOptional: settings.allowAllRooms === true || settings.defaultRoom !== undefined });
  return createMapper(
    { domainId: DOMAIN_ID, iat: IAT, ttlSeconds: 7 * DAY, maxTtlSeconds: 30 * DAY, allowAllRooms: false, defaults: new Map(), ...settings },
    plan,
  );
}

/** Maps one row given as column -> value; returns claims or the rejection message. */
function mapOne(row: Record<string, string>, settings: Partial<MapperSettings> = {}): Record<string, unknown> | string {
  const headers = Object.keys(row);
  try {
    return mapper(headers, settings)(headers.map((h) => row[h]!)).claims;
  } catch (error) {
    if (error instanceof Rejection) return error.message;
    throw error;
  }
}

describe('claim mapper: a name joined from first and last name', () => {
  it('signs "First Last" as u, either part alone when the other is empty, the default when both are', () => {
    const row = (first: string, last: string) => ({ room: 'a', 'First Name': first, 'Last Name': last });
    expect(mapOne(row(' Ada ', 'Lovelace'))).toMatchObject({ u: 'Ada Lovelace' });
    expect(mapOne(row('Ada', ''))).toMatchObject({ u: 'Ada' });
    expect(mapOne(row('', 'Lovelace'))).toMatchObject({ u: 'Lovelace' });
    expect(mapOne(row('', ''))).not.toHaveProperty('u');
    expect(mapOne(row('', ''), { defaults: new Map([['user_name', 'Guest']]) })).toMatchObject({ u: 'Guest' });
  });

  it('names both columns when the joined name breaks a rule', () => {
    expect(mapOne({ room: 'a', 'Given Name': 'A\u0007da', 'Family Name': 'L' })).toBe(
      'Given Name + Family Name: contains a line break or another control character',
    );
  });
});

describe('claim mapper: always-set claims', () => {
  it('sets r, d, iat and exp = iat + ttl for a plain row, in that order', () => {
    const claims = mapOne({ room_name: 'demo' });
    expect(claims).toEqual({ r: 'demo', d: DOMAIN_ID, iat: IAT, exp: IAT + 7 * DAY });
    expect(Object.keys(claims)).toEqual(['r', 'd', 'iat', 'exp']);
  });

  it('leaves out o when is_owner is false (Daily default) and sets it when true', () => {
    expect(mapOne({ room: 'a', owner: 'no' })).not.toHaveProperty('o');
    expect(mapOne({ room: 'a', owner: 'Yes' })).toMatchObject({ o: true });
  });

  it('trims values used for claims', () => {
    expect(mapOne({ room: '  demo\t', name: '  Ada  ', id: ' u1 ' })).toMatchObject({ r: 'demo', u: 'Ada', ud: 'u1' });
  });

  it('redirect_on_meeting_exit takes any absolute URL but javascript:, data: and file:, a mobile deep link too', () => {
    for (const url of [
      'myapp://call/ended?x=1',
      'https://example.com/bye',
      'intent://end#Intent;scheme=myapp;end',
      'mailto:help@example.com',
    ]) {
      expect(mapOne({ room: 'a', redirect_on_meeting_exit: url })).toMatchObject({ rome: url });
    }
  });

  it('an empty cell falls back to the job default', () => {
    const defaults = checkDefaults({ start_video_off: true, lang: 'de' });
    expect(mapOne({ room: 'a', lang: '' }, { defaults })).toMatchObject({ vo: true, uil: 'de' });
    expect(mapOne({ room: 'a', lang: 'fr', start_video_off: 'no' }, { defaults })).toMatchObject({ vo: false, uil: 'fr' });
  });
});

describe('claim mapper: every Daily property by its long name', () => {
  const VALUES: Record<string, [string, unknown]> = {
    user_id: ['u-42', 'u-42'],
    user_name: ['Ada', 'Ada'],
    is_owner: ['true', true],
    knocking: ['yes', true],
    close_tab_on_exit: ['1', true],
    redirect_on_meeting_exit: ['https://example.com/bye', 'https://example.com/bye'],
    intercom_join_alert: ['false', false],
    start_cloud_recording: ['true', true],
    start_cloud_recording_opts: ['{"layout":{"preset":"default"}}', { layout: { preset: 'default' } }],
    auto_start_transcription: ['no', false],
    enable_recording: ['cloud', 'cloud'],
    enable_screenshare: ['FALSE', false],
    start_video_off: ['TRUE', true],
    start_audio_off: ['0', false],
    meeting_join_hook: ['https://hooks.example.com/join', 'https://hooks.example.com/join'],
    eject_at_token_exp: ['Yes', true],
    eject_after_elapsed: ['3600', 3600],
    lang: ['pt-BR', 'pt-BR'],
    enable_recording_ui: ['no', false],
    permissions: [
      '{"hasPresence":false,"canSend":["video","audio"],"canReceive":{"base":true}}',
      { hp: false, cs: 'v,a', cr: { b: true } },
    ],
  };

  it('covers the whole property table', () => {
    expect(Object.keys(VALUES).sort()).toEqual(PROPERTIES.map((p) => p.name).sort());
  });

  it.each(PROPERTIES.map((p) => [p.name, p.claim] as const))('%s -> %s', (name, claim) => {
    const [cell, expected] = VALUES[name]!;
    expect(mapOne({ room: 'r1', [name]: cell })).toMatchObject({ [claim]: expected });
  });

  it.each(PROPERTIES.map((p) => [p.name, p.claim] as const))('%s as a job default -> %s', (name, claim) => {
    const [cell, expected] = VALUES[name]!;
    const defaults = checkDefaults({ [name]: cell });
    expect(mapOne({ room: 'r1' }, { defaults })).toMatchObject({ [claim]: expected });
  });

  it('refuses a default object nested deeper than 16 levels, at any depth, and takes one of 16', () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    expect(() => checkDefaults({ start_cloud_recording_opts: nest(100_000) })).toThrow(
      'defaults.start_cloud_recording_opts: nested more than 16 levels deep',
    );
    expect(() => checkDefaults({ permissions: nest(17) })).toThrow(Rejection);
    expect(checkDefaults({ start_cloud_recording_opts: nest(16) }).get('start_cloud_recording_opts')).toEqual(nest(16));
  });

  it('takes an abbreviated permissions object that uses only the documented short forms as it is', () => {
    const p = { hp: true, cs: 'v,sa', cr: { b: true } };
    expect(checkDefaults({ permissions: p }).get('permissions')).toEqual(p);
  });

  it('refuses an abbreviated permissions default with a short key Daily does not document, at start', () => {
    expect(() => checkDefaults({ permissions: { hp: true, ca: ['participants'] } })).toThrow(
      /^defaults\.permissions\.ca: not a permission Daily documents for self-signed tokens/,
    );
  });

  it.each(['enable_prejoin_ui', 'enable_live_captions_ui', 'enable_terse_logging'])(
    'refuses a %s default: self-signed tokens cannot carry it',
    (name) => {
      expect(() => checkDefaults({ [name]: true })).toThrow(
        new Rejection(
          `defaults.${name}: ${name} cannot be carried by a self-signed token (Daily documents no abbreviation for it); set it on the room or the domain instead`,
        ),
      );
    },
  );
});

describe('claim mapper: rules', () => {
  const cases: [string, Record<string, string>, string | RegExp][] = [
    ['room with a space', { room: 'a b' }, 'room: "a b" has characters Daily does not allow'],
    ['room with a slash', { room: 'a/b' }, /only A-Z a-z 0-9 - _/],
    ['room with a dot', { room: 'a.b' }, 'room: "a.b" has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)'],
    ['room that is a dot', { room: '.' }, 'room: "." has characters Daily does not allow'],
    ['room of 129 characters', { room: 'x'.repeat(129) }, 'room: 129 characters, Daily allows at most 128'],
    ['empty room', { room: '' }, 'room: empty; every token needs a room'],
    ['user_id of 37 characters', { room: 'a', user_id: 'x'.repeat(37) }, 'user_id: 37 characters, Daily allows at most 36'],
    [
      'user_name with a line break',
      { room: 'a', user_name: 'Ada\nLovelace' },
      'user_name: contains a line break or another control character',
    ],
    ['user_id with NUL', { room: 'a', user_id: 'u\u00001' }, 'user_id: contains a line break or another control character'],
    ['boolean maybe', { room: 'a', is_owner: 'maybe' }, 'is_owner: "maybe" is not a boolean; use true/false, yes/no, y/n, t/f or 1/0'],
    ['boolean yep', { room: 'a', knocking: 'yep' }, /knocking: "yep" is not a boolean/],
    ['lang not in the list', { room: 'a', lang: 'xx' }, /lang: "xx" is not one of Daily's values/],
    ['lang wrong case', { room: 'a', lang: 'pt-br' }, /lang: "pt-br"/],
    ['enable_recording unknown', { room: 'a', enable_recording: 'tape' }, /enable_recording: "tape" is not one of/],
    [
      'eject_after_elapsed zero',
      { room: 'a', eject_after_elapsed: '0' },
      'eject_after_elapsed: 0 would eject the user as they join (Daily documents no meaning for 0); leave it empty for no limit',
    ],
    ['eject_after_elapsed negative', { room: 'a', eject_after_elapsed: '-5' }, /is not a positive whole number/],
    ['eject_after_elapsed fraction', { room: 'a', eject_after_elapsed: '1.5' }, /is not a positive whole number/],
    [
      'url without scheme',
      { room: 'a', redirect_on_meeting_exit: 'example.com' },
      'redirect_on_meeting_exit: "example.com" is not an absolute URL (https://... or an app link such as myapp://...)',
    ],
    [
      'javascript redirect',
      { room: 'a', redirect_on_meeting_exit: 'javascript:alert(1)' },
      'redirect_on_meeting_exit: javascript: URLs are not allowed; give an https:// URL or an app link',
    ],
    ['javascript redirect hidden by a tab', { room: 'a', redirect_on_meeting_exit: 'java\tscript:alert(1)' }, /is not an absolute URL/],
    ['javascript redirect in capitals', { room: 'a', redirect_on_meeting_exit: 'JavaScript:alert(1)' }, /javascript: URLs are not allowed/],
    ['data redirect', { room: 'a', redirect_on_meeting_exit: 'data:text/html,<b>hi</b>' }, /data: URLs are not allowed/],
    ['file redirect', { room: 'a', redirect_on_meeting_exit: 'file:///etc/passwd' }, /file: URLs are not allowed/],
    ['javascript url', { room: 'a', meeting_join_hook: 'javascript:alert(1)' }, /is not an http\(s\) URL/],
    ['app link as a join hook', { room: 'a', meeting_join_hook: 'myapp://joined' }, /is not an http\(s\) URL/],
    ['permissions not JSON', { room: 'a', permissions: '{hp:true' }, /permissions: not valid JSON/],
    ['permissions array', { room: 'a', permissions: '[1]' }, 'permissions: must be a JSON object'],
    [
      'permissions canAdmin',
      { room: 'a', permissions: '{"canAdmin":["participants"]}' },
      /permissions.canAdmin: Daily documents no abbreviation/,
    ],
    [
      'canSend bad kind',
      { room: 'a', permissions: '{"canSend":["smell"]}' },
      'permissions.canSend: "smell" is not one of video, audio, screenVideo, screenAudio',
    ],
    [
      'canReceive byUserId',
      { room: 'a', permissions: '{"canReceive":{"base":false,"byUserId":{"u-1":true}}}' },
      /^permissions\.canReceive\.byUserId: Daily documents no abbreviation for it in self-signed tokens, so it cannot be signed/,
    ],
    [
      'start_cloud_recording_opts nested 20,000 levels deep',
      { room: 'a', start_cloud_recording_opts: '{"a":'.repeat(20000) + '1' + '}'.repeat(20000) },
      /start_cloud_recording_opts: \d+ characters of JSON, at most 2048/,
    ],
    [
      'permissions nested 17 levels deep',
      { room: 'a', permissions: '{"a":'.repeat(17) + '1' + '}'.repeat(17) },
      'permissions: nested more than 16 levels deep',
    ],
    [
      'permissions over 2048 characters',
      { room: 'a', permissions: `{"hp":true,"x":"${'y'.repeat(2040)}"}` },
      'permissions: 2058 characters of JSON, at most 2048',
    ],
    [
      'expires_at in the past',
      { room: 'a', expires_at: '2026-11-27T09:59:59Z' },
      /expires_at: 2026-11-27T09:59:59.000Z is not after the run's time/,
    ],
    ['expires_at equal to now', { room: 'a', expires_at: String(IAT) }, /is not after the run's time/],
    [
      'expires_at over max_ttl',
      { room: 'a', expires_at: String(IAT + 30 * DAY + 1) },
      "expires_at: 30d 1s after issue, the job's max_ttl allows 30d",
    ],
    [
      'expires_at without offset',
      { room: 'a', expires_at: '2026-12-01T10:00:00' },
      /has no time zone offset; add one, e.g. 2026-12-01T10:00:00Z/,
    ],
    ['expires_at date only', { room: 'a', expires_at: '2026-12-01' }, /e.g. 2026-12-01T09:00:00Z/],
    ['expires_at impossible date', { room: 'a', expires_at: '2026-02-30T10:00:00Z' }, /is not a real date and time/],
    ['expires_at garbage', { room: 'a', expires_at: 'next tuesday' }, /is not an ISO 8601 time with offset or unix seconds/],
    [
      'not_before after expires_at',
      { room: 'a', not_before: '2026-11-29T00:00:00Z', expires_at: '2026-11-28T00:00:00Z' },
      /not_before: .* must be before expires_at/,
    ],
    [
      'not_before equal to expires_at',
      { room: 'a', not_before: String(IAT + DAY), expires_at: String(IAT + DAY) },
      /must be before expires_at/,
    ],
    [
      'cloud recording without cloud',
      { room: 'a', start_cloud_recording: 'yes', enable_recording: 'local' },
      /start_cloud_recording: needs enable_recording "cloud"/,
    ],
  ];
  it.each(cases)('rejects %s', (_name, row, expected) => {
    const result = mapOne(row);
    expect(typeof result).toBe('string');
    if (typeof expected === 'string') expect(result).toContain(expected);
    else expect(result).toMatch(expected);
  });

  it("rejects a room name with any character outside Daily's A-Z a-z 0-9 - _ (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
        fc.string({ maxLength: 10 }),
        (a, c, b) => {
          fc.pre(!/^[A-Za-z0-9_-]$/.test(c) && c.trim() === c && c !== '');
          const room = `x${a.replace(/[^A-Za-z0-9_-]/g, '')}${c}${b.replace(/[^A-Za-z0-9_-]/g, '')}`;
          expect(mapOne({ room })).toMatch(/has characters Daily does not allow in a room name/);
        },
      ),
      { numRuns: 500, seed: 17 },
    );
  });

  it('accepts the boundaries', () => {
    expect(mapOne({ room: 'x'.repeat(128) })).toMatchObject({ r: 'x'.repeat(128) });
    expect(mapOne({ room: 'A-z_0', user_id: 'x'.repeat(36) })).toMatchObject({ ud: 'x'.repeat(36) });
    expect(mapOne({ room: 'a', expires_at: String(IAT + 30 * DAY) })).toMatchObject({ exp: IAT + 30 * DAY });
    expect(mapOne({ room: 'a', expires_at: String(IAT + 1) })).toMatchObject({ exp: IAT + 1 });
    expect(mapOne({ room: 'a', eject_after_elapsed: '1' })).toMatchObject({ eje: 1 });
    for (const lang of LANGUAGES) expect(mapOne({ room: 'a', lang })).toMatchObject({ uil: lang });
  });

  it('reads times as ISO 8601 with any offset, or unix seconds', () => {
    expect(mapOne({ room: 'a', expires_at: '2026-11-28T12:00:00+02:00' })).toMatchObject({
      exp: Date.parse('2026-11-28T10:00:00Z') / 1000,
    });
    expect(mapOne({ room: 'a', expires_at: '2026-11-28T10:00:00.999Z' })).toMatchObject({ exp: Date.parse('2026-11-28T10:00:00Z') / 1000 });
    expect(mapOne({ room: 'a', expires_at: '1795860000' })).toMatchObject({ exp: 1795860000 });
    expect(mapOne({ room: 'a', not_before: '2026-11-27T08:00:00-0500' })).toMatchObject({ nbf: Date.parse('2026-11-27T13:00:00Z') / 1000 });
  });

  it('counts ttl from not_before when the row starts later than the run', () => {
    const nbf = IAT + 2 * DAY;
    expect(mapOne({ room: 'a', not_before: String(nbf) })).toMatchObject({ nbf, exp: nbf + 7 * DAY });
    expect(mapOne({ room: 'a', not_before: String(IAT - DAY) })).toMatchObject({ nbf: IAT - DAY, exp: IAT + 7 * DAY });
    expect(mapOne({ room: 'a', not_before: String(IAT + 25 * DAY) })).toMatch(/max_ttl allows 30d/);
  });

  it('allow_all_rooms signs a row without room and without r; a default room fills empty cells', () => {
    const open = mapOne({ room: '', name: 'Ada' }, { allowAllRooms: true });
    expect(open).not.toHaveProperty('r');
    expect(open).toMatchObject({ d: DOMAIN_ID, u: 'Ada' });
    expect(mapOne({ name: 'Ada' }, { defaultRoom: 'lobby' })).toMatchObject({ r: 'lobby' });
  });

  it('every token expires: exp is set for every accepted row (property)', () => {
    const m = mapper(['room', 'name', 'id', 'owner', 'not_before', 'expires_at']);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{0,130}$/),
        fc.string(),
        fc.string({ maxLength: 40 }),
        fc.constantFrom('', 'yes', 'no', 'x'),
        fc.oneof(fc.constant(''), fc.integer({ min: IAT - 10 * DAY, max: IAT + 40 * DAY }).map(String)),
        fc.oneof(fc.constant(''), fc.integer({ min: IAT - 10 * DAY, max: IAT + 40 * DAY }).map(String)),
        (...cells) => {
          try {
            const { claims, exp } = m(cells);
            expect(typeof claims['exp']).toBe('number');
            expect(exp).toBeGreaterThan(IAT);
            expect(exp).toBeLessThanOrEqual(IAT + 30 * DAY);
            if (claims['nbf'] !== undefined) expect(claims['nbf']).toBeLessThan(exp);
          } catch (error) {
            expect(error).toBeInstanceOf(Rejection);
          }
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });
});

describe('claim mapper: columns in any position, empty cells', () => {
  it('reads a property, not_before and expires_at from the first column, and names that column in messages', () => {
    expect(mapOne({ user_name: 'Ada' }, { defaultRoom: 'lobby' })).toEqual({
      r: 'lobby',
      d: DOMAIN_ID,
      iat: IAT,
      exp: IAT + 7 * DAY,
      u: 'Ada',
    });
    expect(mapOne({ name: 'a\nb' }, { defaultRoom: 'lobby' })).toBe('name: contains a line break or another control character');
    expect(mapOne({ not_before: String(IAT + DAY), room: 'a' })).toMatchObject({ nbf: IAT + DAY, exp: IAT + 8 * DAY });
    expect(mapOne({ expires_at: String(IAT + DAY), room: 'a' })).toMatchObject({ exp: IAT + DAY });
  });

  it('trims time cells', () => {
    expect(mapOne({ room: 'a', not_before: ` ${IAT + DAY}\t`, expires_at: ` ${IAT + 2 * DAY} ` })).toEqual({
      r: 'a',
      d: DOMAIN_ID,
      iat: IAT,
      nbf: IAT + DAY,
      exp: IAT + 2 * DAY,
    });
  });

  it('an empty time cell is no time: not_before falls back to the job default, expires_at to the ttl', () => {
    const row = { room: 'a', not_before: '', expires_at: '' };
    expect(mapOne(row)).toEqual({ r: 'a', d: DOMAIN_ID, iat: IAT, exp: IAT + 7 * DAY });
    expect(mapOne(row, { defaultNotBefore: IAT + DAY })).toEqual({ r: 'a', d: DOMAIN_ID, iat: IAT, nbf: IAT + DAY, exp: IAT + 8 * DAY });
  });

  it('an empty property cell without a job default leaves the claim out', () => {
    const claims = mapOne({ room: 'a', user_name: '', is_owner: ' ', lang: '' });
    expect(Object.keys(claims)).toEqual(['r', 'd', 'iat', 'exp']);
  });

  it('a room of 128 characters with a character Daily refuses is refused for that character, not its length', () => {
    expect(mapOne({ room: 'x'.repeat(127) + '.' })).toBe(
      `room: "${'x'.repeat(37)}..." (128 characters) has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)`,
    );
  });
});

describe('claim mapper: messages name both times', () => {
  it('expires_at not after the run names the run time', () => {
    expect(mapOne({ room: 'a', expires_at: '2026-11-27T09:59:59Z' })).toBe(
      "expires_at: 2026-11-27T09:59:59.000Z is not after the run's time 2026-11-27T10:00:00.000Z",
    );
  });

  it('not_before not before expires_at names both', () => {
    expect(mapOne({ room: 'a', not_before: '2026-11-29T00:00:00Z', expires_at: '2026-11-28T00:00:00Z' })).toBe(
      'not_before: 2026-11-29T00:00:00.000Z must be before expires_at 2026-11-28T00:00:00.000Z',
    );
  });
});

describe('claim mapper: start_cloud_recording needs cloud recording', () => {
  it('signs start_cloud_recording with enable_recording cloud, and any recording mode without start_cloud_recording', () => {
    expect(mapOne({ room: 'a', start_cloud_recording: 'yes', enable_recording: 'cloud' })).toMatchObject({ sr: true, er: 'cloud' });
    expect(mapOne({ room: 'a', start_cloud_recording: 'no', enable_recording: 'local' })).toMatchObject({ sr: false, er: 'local' });
    expect(mapOne({ room: 'a', enable_recording: 'raw-tracks' })).toMatchObject({ er: 'raw-tracks' });
  });

  it('names the recording mode the row has', () => {
    expect(mapOne({ room: 'a', start_cloud_recording: 'yes', enable_recording: 'local' })).toBe(
      'start_cloud_recording: needs enable_recording "cloud", the row has "local"',
    );
  });
});

describe('durations in messages', () => {
  it('writes days, hours, minutes and seconds, leaving out zeros; 0 is 0s', () => {
    expect(formatDuration(90061)).toBe('1d 1h 1m 1s');
    expect(formatDuration(3600 + 59)).toBe('1h 59s');
    expect(formatDuration(120)).toBe('2m');
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('property names', () => {
  it('decode names every claim by its long name', () => {
    expect(Object.fromEntries(LONG_NAME_BY_CLAIM)).toMatchObject({
      r: 'room_name',
      d: 'domain_id',
      iat: 'iat',
      nbf: 'nbf',
      exp: 'exp',
      uil: 'lang',
      p: 'permissions',
    });
    expect(LONG_NAME_BY_CLAIM.size).toBe(5 + PROPERTIES.length);
  });

  it('finds each property by its long name', () => {
    for (const p of PROPERTIES) expect(PROPERTY_BY_NAME.get(p.name)).toBe(p);
    expect(PROPERTY_BY_NAME.size).toBe(PROPERTIES.length);
  });

  it('a rejection is an Error named Rejection', () => {
    const error = new Rejection('x: bad');
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe('Rejection: x: bad');
  });
});
