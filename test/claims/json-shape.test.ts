import { describe, expect, it } from 'vitest';
import { checkJsonShape, checkJsonText } from '../../src/claims/json-shape.js';
import { checkDefaults } from '../../src/claims/map-row.js';
import { Rejection } from '../../src/claims/rejection.js';

/** A compact JSON object of exactly `chars` characters: {"x":"yyy..."}. */
const objectOf = (chars: number) => ({ x: 'y'.repeat(chars - 8) });

describe('JSON size: at most 2048 characters', () => {
  it('a cell of exactly 2048 characters of JSON passes, one of 2049 is refused before parsing', () => {
    expect(() => checkJsonText('y'.repeat(2048), 'permissions')).not.toThrow();
    expect(() => checkJsonText('y'.repeat(2049), 'permissions')).toThrow(
      new Rejection('permissions: 2049 characters of JSON, at most 2048 (Daily advises tokens of at most 2048)'),
    );
  });

  it('a job default of exactly 2048 characters as JSON passes, one of 2049 is refused', () => {
    expect(JSON.stringify(objectOf(2048))).toHaveLength(2048);
    expect(checkDefaults({ start_cloud_recording_opts: objectOf(2048) }).get('start_cloud_recording_opts')).toEqual(objectOf(2048));
    expect(() => checkDefaults({ start_cloud_recording_opts: objectOf(2049) })).toThrow(
      new Rejection('defaults.start_cloud_recording_opts: 2049 characters as JSON, at most 2048 (Daily advises tokens of at most 2048)'),
    );
  });
});

describe('JSON depth: at most 16 levels', () => {
  it('walks past null, numbers and text inside an object', () => {
    expect(() => checkJsonShape({ a: null, b: [1, 'text', null], c: { d: 'deep text' } }, 'start_cloud_recording_opts')).not.toThrow();
  });

  it('counts arrays as levels, as objects', () => {
    let nested: unknown = 1;
    for (let i = 0; i < 17; i++) nested = [nested];
    expect(() => checkJsonShape(nested, 'start_cloud_recording_opts')).toThrow(
      new Rejection('start_cloud_recording_opts: nested more than 16 levels deep'),
    );
  });
});
