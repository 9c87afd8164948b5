import { describe, expect, it } from 'vitest';
import { columnMapping, planColumns } from '../../src/claims/column-plan.js';
import { DEFAULT_LOOKUP, FIRST_NAMES, LAST_NAMES, NAME_PARTS, SYNONYMS, fold } from '../../src/claims/header-names.js';
import { findNearMisses, nearMissMessage } from '../../src/claims/near-misses.js';

const plan = (headers: string[], columns?: Record<string, string>) => planColumns(headers, { roomOptional: false, columns });
const mapping = (headers: string[], columns?: Record<string, string>) => columnMapping(plan(headers, columns));
const misses = (headers: string[], columns?: Record<string, string>) => findNearMisses(plan(headers, columns));

describe('header matching: folding', () => {
  it.each(['User ID', 'user-id', 'UserId', 'USER_ID', ' user.id ', 'User Id'])('%j is user_id', (header) => {
    expect(mapping(['room', header]).columns).toEqual({ room_name: 'room', user_id: header });
  });

  it('folds case, spaces and punctuation, and keeps letters of any script', () => {
    expect(fold(' Room-Name ')).toBe('roomname');
    expect(fold('Name (Original Name)')).toBe('nameoriginalname');
    expect(fold('Prénom')).toBe('prénom');
    expect(fold('#')).toBe('#'); // a header of symbols keeps a name
    expect(fold(' # ')).toBe('#');
  });

  it('gives every synonym and name part one column only', () => {
    const all = [...Object.values(SYNONYMS).flat(), ...NAME_PARTS.first, ...NAME_PARTS.last].map(fold);
    expect(new Set(all).size).toBe(all.length);
    for (const part of [...FIRST_NAMES, ...LAST_NAMES]) expect(DEFAULT_LOOKUP.has(part)).toBe(false);
  });
});

describe('header matching: synonyms', () => {
  it('reads Email Address,Room,Full Name,User ID as room, user name and user id', () => {
    expect(mapping(['Email Address', 'Room', 'Full Name', 'User ID'])).toEqual({
      columns: { room_name: 'Room', user_name: 'Full Name', user_id: 'User ID' },
      passthrough: ['Email Address'],
    });
  });

  it.each([
    ['Meeting', 'room_name'],
    ['Meeting Room', 'room_name'],
    ['Display Name', 'user_name'],
    ['Participant', 'user_name'],
    ['Name (Original Name)', 'user_name'],
    ['Record ID', 'user_id'],
    ['Contact ID', 'user_id'],
    ['External ID', 'user_id'],
    ['UID', 'user_id'],
    ['Registrant ID', 'user_id'],
    ['Host', 'is_owner'],
    ['Moderator', 'is_owner'],
    ['Is Host', 'is_owner'],
  ])('%j feeds %s', (header, column) => {
    const headers = column === 'room_name' ? [header] : ['room', header];
    expect(mapping(headers).columns[column]).toBe(header);
  });

  it('refuses two headers for one column, naming both, rather than pick one', () => {
    expect(() => plan(['Room', 'Email', 'Meeting'])).toThrow(
      'roster header: columns 1 ("Room") and 3 ("Meeting") both give room_name; keep one, or choose one with --column room_name="Meeting" (columns: in a job)',
    );
    expect(() => plan(['room', 'Full Name', 'Display Name'])).toThrow(
      /columns 2 \("Full Name"\) and 3 \("Display Name"\) both give user_name/,
    );
    expect(() => plan(['room', 'User ID', 'user_id'])).toThrow(
      expect.objectContaining({ code: 'ROSTER_HEADER', context: { column: 'user_id' } }),
    );
  });

  it('lets an explicit mapping settle what synonyms would make ambiguous', () => {
    expect(mapping(['Room', 'Email', 'Meeting'], { room_name: 'meeting' })).toEqual({
      columns: { room_name: 'Meeting' },
      passthrough: ['Room', 'Email'],
    });
  });

  it('matches an explicit header folded, and refuses one the roster lacks or has twice', () => {
    expect(mapping(['room', 'Voller Name'], { user_name: 'voller_name' }).columns['user_name']).toBe('Voller Name');
    expect(() => plan(['room', 'Vollname'], { user_name: 'Voller Name' })).toThrow(
      'columns.user_name: the roster has no column "Voller Name" (did you mean "Vollname"?)',
    );
    expect(() => plan(['room', 'A B', 'a_b'], { user_name: 'a b' })).toThrow(
      /columns 2 \("A B"\) and 3 \("a_b"\) both match columns.user_name/,
    );
    expect(() => plan(['room', 'X'], { user_name: 'X', user_id: 'x' })).toThrow(
      'columns.user_name and columns.user_id both name column 2 ("X"); map it once',
    );
  });
});

describe('header matching: first and last name', () => {
  it('joins first and last name into user_name when there is no name column; both still pass through', () => {
    const p = plan(['Record ID', 'First Name', 'Last Name', 'Email', 'room']);
    expect(p.userNameParts).toEqual([1, 2]);
    expect(p.properties.has('user_name')).toBe(false);
    expect(columnMapping(p)).toEqual({
      columns: { user_id: 'Record ID', user_name: 'First Name + Last Name', room_name: 'room' },
      passthrough: ['First Name', 'Last Name', 'Email'],
    });
    expect(plan(['room', 'Given Name', 'Family Name']).userNameParts).toEqual([1, 2]);
    expect(plan(['room', 'FirstName', 'Surname']).userNameParts).toEqual([1, 2]);
  });

  it('prefers a name column, and joins nothing with only one part', () => {
    expect(plan(['room', 'Name', 'First Name', 'Last Name']).userNameParts).toBeUndefined();
    expect(plan(['room', 'First Name', 'Email']).userNameParts).toBeUndefined();
    expect(plan(['room', 'Nick', 'First Name', 'Last Name'], { user_name: 'Nick' }).userNameParts).toBeUndefined();
  });

  it('refuses two first-name columns, naming both', () => {
    expect(() => plan(['room', 'First Name', 'Given Name', 'Last Name'])).toThrow(
      /columns 2 \("First Name"\) and 3 \("Given Name"\) could both be the first \(or last\) name/,
    );
  });

  it('counts a joined name as a known column of a header', () => {
    expect(planColumns(['First Name', 'Last Name'], { roomOptional: true }).userNameParts).toEqual([0, 1]);
  });
});

describe('header matching: near misses', () => {
  it('warns about Display Nmae as user_name, and says how to map it', () => {
    const found = misses(['Email Address', 'Room', 'Display Nmae']);
    expect(found).toEqual([{ header: 'Display Nmae', column: 'user_name', fedBy: undefined }]);
    expect(nearMissMessage(found[0]!)).toBe(
      'roster column "Display Nmae" passes through unchanged but looks like user_name; to use it, give --column user_name="Display Nmae" (columns: { user_name: "Display Nmae" } in a job), or rename it in the roster',
    );
  });

  it('finds a typo of a known name, word by word: one edit or two letters swapped', () => {
    expect(misses(['room', 'UserNmae', 'Meetings', 'Partcipant', 'Is Onwer', 'Knockin']).map((m) => [m.header, m.column])).toEqual([
      ['UserNmae', 'user_name'],
      ['Meetings', 'room_name'],
      ['Partcipant', 'user_name'],
      ['Is Onwer', 'is_owner'],
      ['Knockin', 'knocking'],
    ]);
  });

  it('finds headers with name, id, room, owner or host as a word, and synonyms whose column is fed elsewhere', () => {
    expect(
      misses(['room', 'Meeting ID', 'Contact owner', 'Company Name', 'roomType', 'Host Email', 'OwnerId']).map((m) => [m.header, m.column]),
    ).toEqual([
      ['Meeting ID', 'user_id'],
      ['Contact owner', 'is_owner'],
      ['Company Name', 'user_name'],
      ['roomType', 'room_name'],
      ['Host Email', 'is_owner'],
      ['OwnerId', 'user_id'],
    ]);
    expect(misses(['Meeting', 'Room'], { room_name: 'Meeting' })).toEqual([{ header: 'Room', column: 'room_name', fedBy: 'Meeting' }]);
  });

  it('leaves ordinary columns alone: no word inside a word, no short-name typos', () => {
    expect(
      misses([
        'room',
        'Email',
        'Phone',
        'City',
        'Land',
        'Provider',
        'Valid',
        'Hostname',
        'Identity',
        'Ort',
        'Recorded',
        'Contacted',
        'Greeting',
        'Romm',
      ]),
    ).toEqual([]);
  });

  it('takes two swapped letters for a typo only when they are the one difference, wherever they are', () => {
    expect(misses(['room', 'User Anme', 'User Nxae', 'User Nmxe', 'User Nmax']).map((m) => m.header)).toEqual(['User Anme']);
  });

  it('reads words between any separators, leading and trailing ones too', () => {
    expect(misses(['room', ' Display Nmae! ', '(Display Nmae)']).map((m) => [m.header, m.column])).toEqual([
      [' Display Nmae! ', 'user_name'],
      ['(Display Nmae)', 'user_name'],
    ]);
  });

  it('knows a known name written as one word, and says which header feeds its column now', () => {
    const found = misses(['Meeting', 'roomname'], { room_name: 'Meeting' });
    expect(found).toEqual([{ header: 'roomname', column: 'room_name', fedBy: 'Meeting' }]);
    expect(nearMissMessage(found[0]!)).toBe(
      'roster column "roomname" passes through unchanged but looks like room_name (now from "Meeting"); to use it, give --column room_name="roomname" (columns: { room_name: "roomname" } in a job), or rename it in the roster',
    );
  });

  it('says nothing of the first and last name columns it joins', () => {
    expect(misses(['room', 'First Name', 'Last Name'])).toEqual([]);
    expect(misses(['room', 'First Name']).map((m) => m.header)).toEqual(['First Name']);
  });
});
