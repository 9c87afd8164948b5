import { describe, expect, it } from 'vitest';
import { checkRoom } from '../../src/rooms/room-check.js';
import type { RoomIndex } from '../../src/rooms/room-index.js';

const EXP = 1_800_000_000;
const index: Pick<RoomIndex, 'domain' | 'rooms'> = {
  domain: 'acme',
  rooms: new Map([
    ['standup', { public: false, exp: undefined }],
    ['lobby', { public: true, exp: undefined }],
    ['ends-early', { public: false, exp: EXP - 3600 }],
    ['ends-with-token', { public: true, exp: EXP }],
  ]),
};

describe('checkRoom', () => {
  it('passes a private room without exp', () => {
    expect(checkRoom(index, 'standup', EXP)).toEqual({ problem: undefined, public: false });
  });

  it('rejects a room the domain does not have, naming room and domain', () => {
    expect(checkRoom(index, 'standpu', EXP)).toEqual({ problem: 'room `standpu` does not exist on domain `acme`', public: false });
  });

  it('room names compare exactly: another case is another room', () => {
    expect(checkRoom(index, 'Standup', EXP).problem).toBe('room `Standup` does not exist on domain `acme`');
  });

  it('flags a public room, and passes it', () => {
    expect(checkRoom(index, 'lobby', EXP)).toEqual({ problem: undefined, public: true });
  });

  it("rejects a token whose exp is after the room's exp, with both times", () => {
    expect(checkRoom(index, 'ends-early', EXP).problem).toBe(
      "room `ends-early` expires at 2027-01-15T07:00:00Z, before this token's exp 2027-01-15T08:00:00Z: " +
        "Daily refuses joins after the room's exp; give an earlier expires_at or extend the room",
    );
  });

  it('passes a token expiring with the room or before it', () => {
    expect(checkRoom(index, 'ends-early', EXP - 3600).problem).toBeUndefined();
    expect(checkRoom(index, 'ends-with-token', EXP)).toEqual({ problem: undefined, public: true });
  });
});
