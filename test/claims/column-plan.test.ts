import { describe, expect, it } from 'vitest';
import { planColumns } from '../../src/claims/column-plan.js';

describe('roster header', () => {
  it('matches default names and aliases case-insensitively after trimming; the rest passes through', () => {
    const plan = planColumns(['Email', ' ROOM ', 'Name', 'id', 'Owner', 'lang', 'Expires_At', 'first_name'], { roomOptional: false });
    expect(plan.room).toBe(1);
    expect(plan.expiresAt).toBe(6);
    expect(plan.notBefore).toBe(-1);
    expect(Object.fromEntries(plan.properties)).toEqual({ user_name: 2, user_id: 3, is_owner: 4, lang: 5 });
    expect(plan.passthrough).toEqual([0, 7]);
  });

  it("maps other header names through the job's columns", () => {
    const plan = planColumns(['Meeting', 'Full name', 'room'], {
      roomOptional: false,
      columns: { room_name: 'meeting', user_name: 'Full Name' },
    });
    expect(plan.room).toBe(0);
    expect(plan.properties.get('user_name')).toBe(1);
    expect(plan.passthrough).toEqual([2]); // "room" is no longer the room column
  });

  it.each([
    [
      ['room', 'room_name'],
      { roomOptional: false },
      'roster header: columns 1 ("room") and 2 ("room_name") both give room_name; keep one, or choose one with --column room_name="room_name" (columns: in a job)',
    ],
    [['email', 'phone'], { roomOptional: false }, /none of the expected columns .* the first line must be a header row/],
    [['name', 'email'], { roomOptional: false }, /no room_name \(or room, meeting\) column/],
    [['room'], { roomOptional: false, columns: { user_id: 'Badge' } }, 'columns.user_id: the roster has no column "Badge"'],
    [
      ['room', ' Enable_Prejoin_UI '],
      { roomOptional: false },
      'roster header: column 2 (" Enable_Prejoin_UI "): enable_prejoin_ui cannot be carried by a self-signed token (Daily documents no abbreviation for it); set it on the room or the domain instead',
    ],
    [
      ['enable_live_captions_ui', 'room'],
      { roomOptional: false },
      /^roster header: column 1 \("enable_live_captions_ui"\): enable_live_captions_ui cannot/,
    ],
    [['room', 'name', 'enable_terse_logging'], { roomOptional: false }, /column 3 \("enable_terse_logging"\): enable_terse_logging cannot/],
  ] as const)('refuses %j', (headers, options, message) => {
    expect(() => planColumns(headers, options)).toThrow(expect.objectContaining({ code: 'ROSTER_HEADER' }));
    expect(() => planColumns(headers, options)).toThrow(message);
  });

  it('needs no room column when rows may lack a room', () => {
    expect(planColumns(['name'], { roomOptional: true }).room).toBe(-1);
  });

  it('lists only the properties the roster has, in the order of the property table', () => {
    const plan = planColumns(['lang', 'room', 'user_id', 'knocking'], { roomOptional: false });
    expect([...plan.properties]).toEqual([
      ['user_id', 2],
      ['knocking', 3],
      ['lang', 0],
    ]);
  });

  it('names the column at fault in the error', () => {
    const error = (headers: string[], options: Parameters<typeof planColumns>[1]) => {
      try {
        planColumns(headers, options);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(error(['id', 'user_id', 'room'], { roomOptional: false })).toMatchObject({
      code: 'ROSTER_HEADER',
      message:
        'roster header: columns 1 ("id") and 2 ("user_id") both give user_id; keep one, or choose one with --column user_id="user_id" (columns: in a job)',
      context: { column: 'user_id' },
    });
    expect(error(['name'], { roomOptional: false })).toMatchObject({ context: { column: 'room_name' } });
    expect(error(['room'], { roomOptional: false, columns: { lang: 'Language' } })).toMatchObject({ context: { column: 'lang' } });
    expect(error(['email'], { roomOptional: true })).toMatchObject({
      message:
        'roster header: none of the expected columns (room_name or room, user_name or name, user_id or id, is_owner or owner); the first line must be a header row',
      context: {},
    });
  });

  it('finds not_before, and gives -1 for a missing expires_at', () => {
    const plan = planColumns(['room', 'not_before'], { roomOptional: false });
    expect([plan.room, plan.notBefore, plan.expiresAt]).toEqual([0, 1, -1]);
  });
});
