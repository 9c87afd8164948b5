import { describe as group, expect, it } from 'vitest';
import { describe, parseBoolean, parsePositiveInteger, parsePropertyValue, parseTime } from '../../src/claims/values.js';
import { PROPERTY_BY_NAME } from '../../src/claims/properties.js';
import { Rejection } from '../../src/claims/rejection.js';

const IAT = 1795773600; // 2026-11-27T10:00:00Z
const spec = (name: string) => PROPERTY_BY_NAME.get(name)!;
const rejection = (message: string) => new Rejection(message);

group('values: booleans', () => {
  it('takes true/false, yes/no, y/n, t/f and 1/0 in any case, as spreadsheets and CRMs write them', () => {
    for (const text of ['true', 'TRUE', 'Yes', 'y', 'Y', 't', 'T', '1']) expect(parseBoolean(text, 'knocking')).toBe(true);
    for (const text of ['false', 'False', 'NO', 'n', 'N', 'f', 'F', '0']) expect(parseBoolean(text, 'knocking')).toBe(false);
    for (const text of ['yy', 'ye', 'tr', 'x', 'on', 'off', '']) {
      expect(() => parseBoolean(text, 'knocking')).toThrow(
        rejection(`knocking: "${text}" is not a boolean; use true/false, yes/no, y/n, t/f or 1/0`),
      );
    }
  });

  it('takes the numbers 1 and 0 from a job default, and no other number', () => {
    expect(parseBoolean(1, 'knocking')).toBe(true);
    expect(parseBoolean(0, 'knocking')).toBe(false);
    expect(() => parseBoolean(2, 'knocking')).toThrow(rejection('knocking: 2 is not a boolean; use true/false, yes/no, y/n, t/f or 1/0'));
    expect(() => parseBoolean(null, 'knocking')).toThrow(
      rejection('knocking: null is not a boolean; use true/false, yes/no, y/n, t/f or 1/0'),
    );
  });
});

group('values: positive whole numbers', () => {
  it('takes digits only: no spaces, signs, hex or exponents', () => {
    for (const value of [' 5', '5 ', '0x10', '1e3', '+5']) {
      expect(() => parsePositiveInteger(value, 'eject_after_elapsed')).toThrow(
        rejection(`eject_after_elapsed: "${value}" is not a positive whole number of seconds`),
      );
    }
  });

  it('takes a number from a job default and refuses a fraction or an unsafe integer', () => {
    expect(parsePositiveInteger(3600, 'eject_after_elapsed')).toBe(3600);
    expect(() => parsePositiveInteger(1.5, 'eject_after_elapsed')).toThrow(
      rejection('eject_after_elapsed: 1.5 is not a positive whole number of seconds'),
    );
    expect(() => parsePositiveInteger('9007199254740993', 'eject_after_elapsed')).toThrow(
      rejection('eject_after_elapsed: "9007199254740993" is not a positive whole number of seconds'),
    );
    expect(() => parsePositiveInteger([5], 'eject_after_elapsed')).toThrow(Rejection);
  });
});

group('values: times', () => {
  it('takes whole unix seconds from 0 up, as a number, and refuses negative or fractional ones', () => {
    expect(parseTime(0, 'not_before')).toBe(0);
    expect(parseTime(IAT, 'not_before')).toBe(IAT);
    expect(() => parseTime(-1, 'not_before')).toThrow(rejection('not_before: -1 is not an ISO 8601 time with offset or unix seconds'));
    expect(() => parseTime(1.5, 'not_before')).toThrow(Rejection);
  });

  it('refuses a list, even of one time', () => {
    expect(() => parseTime(['1795773600'], 'not_before')).toThrow(
      rejection('not_before: ["1795773600"] is not an ISO 8601 time with offset or unix seconds'),
    );
  });

  it('takes a valid Date (a YAML timestamp), rounded down to the second, and refuses an invalid one', () => {
    expect(parseTime(new Date('2026-11-27T10:00:00.999Z'), 'not_before')).toBe(IAT);
    expect(() => parseTime(new Date(Number.NaN), 'not_before')).toThrow(Rejection);
  });

  it('takes 1 to 12 digits as unix seconds, not 13', () => {
    expect(parseTime('0', 'x')).toBe(0);
    expect(parseTime('999999999999', 'x')).toBe(999999999999);
    expect(() => parseTime('1795773600000', 'x')).toThrow(
      rejection('x: "1795773600000" is not an ISO 8601 time with offset or unix seconds'),
    );
  });

  it('takes a space or a small t between date and time, a small z, and a time without seconds', () => {
    expect(parseTime('2026-11-27 10:00:00Z', 'x')).toBe(IAT);
    expect(parseTime('2026-11-27t10:00:00z', 'x')).toBe(IAT);
    expect(parseTime('2026-11-27T10:00Z', 'x')).toBe(IAT);
    expect(parseTime('2026-11-27 12:00+02:00', 'x')).toBe(IAT);
  });

  it('takes the last day of a month, 29 February of a leap year, and refuses a day or hour past the end', () => {
    expect(parseTime('2026-11-30T10:00:00Z', 'x')).toBe(IAT + 3 * 86400);
    expect(parseTime('2028-02-29T00:00:00Z', 'x')).toBe(Date.UTC(2028, 1, 29) / 1000);
    expect(parseTime('2026-01-31T00:00:00Z', 'x')).toBe(Date.UTC(2026, 0, 31) / 1000);
    expect(parseTime('2026-12-01T00:00:00Z', 'x')).toBe(Date.UTC(2026, 11, 1) / 1000);
    expect(parseTime('2026-12-31T00:00:00Z', 'x')).toBe(Date.UTC(2026, 11, 31) / 1000);
    for (const value of [
      '2026-02-29T00:00:00Z',
      '2026-11-31T10:00:00Z',
      '2026-11-27T25:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-11-00T00:00:00Z',
    ]) {
      expect(() => parseTime(value, 'x')).toThrow(rejection(`x: "${value}" is not a real date and time`));
    }
  });

  it('suggests an offset for a date and time without one, in each form', () => {
    const hint = (value: string, example: string) => rejection(`x: "${value}" has no time zone offset; add one, e.g. ${example}`);
    expect(() => parseTime('2026-12-01 10:00', 'x')).toThrow(hint('2026-12-01 10:00', '2026-12-01 10:00Z'));
    expect(() => parseTime('2026-12-01t10:00:00.55', 'x')).toThrow(hint('2026-12-01t10:00:00.55', '2026-12-01t10:00:00.55Z'));
    expect(() => parseTime('2026-12-01T10', 'x')).toThrow(
      rejection('x: "2026-12-01T10" is not an ISO 8601 time with offset or unix seconds'),
    );
    expect(() => parseTime('x2026-12-01', 'x')).toThrow(rejection('x: "x2026-12-01" is not an ISO 8601 time with offset or unix seconds'));
    expect(() => parseTime('2026-12-01x', 'x')).toThrow(rejection('x: "2026-12-01x" is not an ISO 8601 time with offset or unix seconds'));
  });
});

group('values: text, URLs, choices and objects', () => {
  it('text: a number from a job default becomes text; anything else that is not text is refused', () => {
    expect(parsePropertyValue(spec('user_id'), 42)).toBe('42');
    expect(() => parsePropertyValue(spec('user_name'), true)).toThrow(rejection('user_name: must be text'));
  });

  it('text: refuses DEL and the last control character, keeps a space and a tab-free name', () => {
    expect(() => parsePropertyValue(spec('user_name'), 'a\u007fb')).toThrow(
      rejection('user_name: contains a line break or another control character'),
    );
    expect(() => parsePropertyValue(spec('user_name'), 'a\u001fb')).toThrow(Rejection);
    expect(parsePropertyValue(spec('user_name'), 'Ada Lovelace ~')).toBe('Ada Lovelace ~');
  });

  it('URL: takes http as well as https, refuses other schemes', () => {
    expect(parsePropertyValue(spec('meeting_join_hook'), 'http://hooks.example.com/join')).toBe('http://hooks.example.com/join');
    expect(() => parsePropertyValue(spec('meeting_join_hook'), 'ftp://example.com/')).toThrow(
      rejection('meeting_join_hook: "ftp://example.com/" is not an http(s) URL'),
    );
    expect(() => parsePropertyValue(spec('meeting_join_hook'), ['https://example.com/'])).toThrow(
      rejection('meeting_join_hook: ["https://example.com/"] is not an http(s) URL'),
    );
    expect(() => parsePropertyValue(spec('meeting_join_hook'), 7)).toThrow(rejection('meeting_join_hook: 7 is not an http(s) URL'));
  });

  it('choices: names every allowed value in the message; takes every recording mode', () => {
    expect(() => parsePropertyValue(spec('enable_recording'), 'tape')).toThrow(
      rejection(`enable_recording: "tape" is not one of Daily's values (cloud, local, raw-tracks, cloud-audio-only)`),
    );
    for (const mode of ['cloud', 'local', 'raw-tracks', 'cloud-audio-only'])
      expect(parsePropertyValue(spec('enable_recording'), mode)).toBe(mode);
  });

  it('objects: JSON null, a number or a string is refused; start_cloud_recording_opts is not translated like permissions', () => {
    for (const cell of ['null', '5', '"x"']) {
      expect(() => parsePropertyValue(spec('start_cloud_recording_opts'), cell)).toThrow(
        rejection('start_cloud_recording_opts: must be a JSON object'),
      );
    }
    expect(() => parsePropertyValue(spec('permissions'), '{hp')).toThrow(
      rejection('permissions: not valid JSON; give a JSON object such as {"hp":true}'),
    );
    expect(parsePropertyValue(spec('start_cloud_recording_opts'), '{"canSend":["video"],"a":null}')).toEqual({
      canSend: ['video'],
      a: null,
    });
  });
});

group('values: describe, for messages', () => {
  it('quotes text up to 40 characters whole, and cuts longer text to 37 with its length', () => {
    expect(describe('x'.repeat(40))).toBe(`"${'x'.repeat(40)}"`);
    expect(describe('y'.repeat(41))).toBe(`"${'y'.repeat(37)}..." (41 characters)`);
  });

  it('says nothing for undefined, writes other values as JSON cut to 37 characters, and names what JSON cannot write', () => {
    expect(describe(undefined)).toBe('nothing');
    expect(describe(5)).toBe('5');
    expect(describe([1, 2])).toBe('[1,2]');
    expect(describe({ a: 'b'.repeat(32) })).toBe(`{"a":"${'b'.repeat(32)}"}`);
    expect(describe({ a: 'b'.repeat(33) })).toBe(`{"a":"${'b'.repeat(31)}...`);
    expect(describe(Symbol('s'))).toBe('Symbol(s)');
  });
});
