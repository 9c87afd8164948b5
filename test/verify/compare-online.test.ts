import { describe, expect, it } from 'vitest';
import { onlineDifferences } from '../../src/verify/compare-online.js';

const claims = { r: 'standup', d: 'dom', iat: 1, exp: 100, u: 'Ada', vo: true, p: { hp: true, cs: 'v,a', cr: { b: true } } };
const asDaily = {
  room_name: 'standup',
  exp: 100,
  user_name: 'Ada',
  start_video_off: true,
  permissions: { hp: true, cs: 'v,a', cr: { b: true } },
};

describe('onlineDifferences', () => {
  it('finds none when Daily reads every signed property as signed (d and iat are not properties)', () => {
    expect(onlineDifferences(claims, asDaily)).toEqual([]);
  });

  it('names a property Daily reads with another value, never the value', () => {
    expect(onlineDifferences(claims, { ...asDaily, start_video_off: false })).toEqual([
      'start_video_off (Daily reads another value than the one signed)',
    ]);
  });

  it("names a signed property missing from Daily's answer", () => {
    const rest: Record<string, unknown> = { ...asDaily };
    delete rest['user_name'];
    expect(onlineDifferences(claims, rest)).toEqual(["user_name (signed, not in Daily's answer)"]);
  });

  it('names a property Daily reads that the token does not carry; is_owner false is the default, not a difference', () => {
    expect(onlineDifferences(claims, { ...asDaily, knocking: true })).toEqual(['knocking (Daily reads it, the token does not carry it)']);
    expect(onlineDifferences(claims, { ...asDaily, is_owner: false })).toEqual([]);
    expect(onlineDifferences(claims, { ...asDaily, is_owner: true })).toEqual(['is_owner (Daily reads it, the token does not carry it)']);
  });

  it('ignores answer fields that are not token properties', () => {
    expect(onlineDifferences(claims, { ...asDaily, some_metadata: 'x' })).toEqual([]);
  });

  it('accepts permissions read back with their documented long names, and nothing else', () => {
    const long = { hasPresence: true, canSend: ['video', 'audio'], canReceive: { base: true } };
    expect(onlineDifferences(claims, { ...asDaily, permissions: long })).toEqual([]);
    expect(onlineDifferences(claims, { ...asDaily, permissions: { ...long, canSend: ['video'] } })).toEqual([
      'permissions (Daily reads another value than the one signed)',
    ]);
  });
});
