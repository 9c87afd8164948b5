import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { translatePermissions } from '../../src/claims/permissions.js';
import { parsePropertyValue } from '../../src/claims/values.js';
import { PROPERTY_BY_NAME } from '../../src/claims/properties.js';
import { Rejection } from '../../src/claims/rejection.js';

const translate = (perms: Record<string, unknown>) => translatePermissions(perms, 'permissions');
const refusal = (perms: Record<string, unknown>): string => {
  try {
    translate(perms);
  } catch (error) {
    if (error instanceof Rejection) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(perms)}`);
};
const NOT_SIGNABLE = 'Daily documents no abbreviation for it in self-signed tokens, so it cannot be signed';

describe('permissions: long names', () => {
  it('translates hasPresence, canSend and canReceive.base to hp, cs and cr.b', () => {
    expect(
      translate({ hasPresence: false, canSend: ['video', 'audio', 'screenVideo', 'screenAudio'], canReceive: { base: true } }),
    ).toEqual({
      hp: false,
      cs: 'v,a,sv,sa',
      cr: { b: true },
    });
    expect(translate({ canSend: ['screenAudio', 'video', 'screenAudio'] })).toEqual({ cs: 'sa,v' });
    expect(translate({ canSend: true, canReceive: {} })).toEqual({ cs: true, cr: {} });
  });

  it('canSend: [] is false, as Daily documents "none"', () => {
    expect(translate({ canSend: [] })).toEqual({ cs: false });
  });

  it('refuses canSend values Daily does not document: a text, an abbreviated kind, an unknown kind, a name of an object property', () => {
    expect(refusal({ canSend: 'video,audio' })).toBe(
      'permissions.canSend: must be true, false or a list of video, audio, screenVideo, screenAudio',
    );
    for (const [kind, shown] of [
      ['v', '"v"'],
      ['smell', '"smell"'],
      ['constructor', '"constructor"'],
      [['v'], '["v"]'],
      ['x'.repeat(38), `"${'x'.repeat(38)}"`],
      ['x'.repeat(39), `"${'x'.repeat(36)}...`],
    ] as const) {
      expect(refusal({ canSend: ['audio', kind] })).toBe(
        `permissions.canSend: ${shown} is not one of video, audio, screenVideo, screenAudio`,
      );
    }
  });

  it('refuses customVideo and customAudio: documented, but without a documented abbreviation', () => {
    for (const kind of ['customVideo', 'customAudio']) {
      expect(refusal({ canSend: ['video', kind] })).toBe(
        `permissions.canSend: ${kind} ${NOT_SIGNABLE}; canSend: true allows every kind of media, custom tracks included`,
      );
    }
  });

  it('refuses canReceive byUserId and byParticipantId, a per-media base, and keys Daily does not document', () => {
    const how = 'only canReceive.base as true or false can be (abbreviated {"cr":{"b":false}})';
    expect(refusal({ canReceive: { base: false, byUserId: { 'u-1': true } } })).toBe(
      `permissions.canReceive.byUserId: ${NOT_SIGNABLE}; ${how}`,
    );
    expect(refusal({ canReceive: { byParticipantId: {} } })).toBe(`permissions.canReceive.byParticipantId: ${NOT_SIGNABLE}; ${how}`);
    expect(refusal({ canReceive: { base: { video: false } } })).toBe(
      `permissions.canReceive.base: a per-media object ${NOT_SIGNABLE}; ${how}`,
    );
    expect(refusal({ canReceive: { base: 'yes' } })).toBe('permissions.canReceive.base: must be true or false');
    expect(refusal({ canReceive: { b: true } })).toBe(
      'permissions.canReceive.b: not a key Daily documents for canReceive (base, byUserId, byParticipantId)',
    );
    for (const value of [true, null, [{ base: true }], 'base']) {
      expect(refusal({ canReceive: value })).toBe('permissions.canReceive: must be an object such as {"base": false}');
    }
  });

  it('refuses canAdmin, saying where it can be set instead, under the column given', () => {
    expect(() => translatePermissions({ canAdmin: ['participants'] }, 'defaults.permissions')).toThrow(
      new Rejection(
        `defaults.permissions.canAdmin: ${NOT_SIGNABLE}; set it in the room's or domain's permissions, or give the user is_owner (owners may do every admin task)`,
      ),
    );
  });

  it('hasPresence must be a boolean', () => {
    expect(refusal({ hasPresence: 'yes' })).toBe('permissions.hasPresence: must be true or false');
  });
});

describe('permissions: already abbreviated', () => {
  it('takes the documented short forms as they are', () => {
    const p = { hp: true, cs: 'v,a,sv,sa', cr: { b: false } };
    expect(translate(p)).toEqual(p);
    expect(translate({ cs: false })).toEqual({ cs: false });
  });

  it('refuses wrong values: long kinds in cs, spaces, an empty text, a list, a non-boolean b or hp', () => {
    expect(refusal({ cs: 'video,audio' })).toBe('permissions.cs: "video" is not one of v, a, sv, sa (comma-separated, no spaces)');
    expect(refusal({ cs: 'v, a' })).toBe('permissions.cs: " a" is not one of v, a, sv, sa (comma-separated, no spaces)');
    expect(refusal({ cs: '' })).toBe('permissions.cs: empty; Daily\'s form for "none" is false');
    expect(refusal({ cs: ['v'] })).toBe('permissions.cs: must be true, false or a comma-separated text of v, a, sv, sa such as "v,a"');
    expect(refusal({ cr: { b: 'yes' } })).toBe('permissions.cr.b: must be true or false');
    expect(refusal({ hp: 1 })).toBe('permissions.hp: must be true or false');
  });

  it('refuses short keys Daily does not document, at the top and inside cr', () => {
    expect(refusal({ hp: true, ca: 'p' })).toBe(
      'permissions.ca: not a permission Daily documents for self-signed tokens; use hasPresence, canSend, canReceive (or abbreviated hp, cs, cr)',
    );
    expect(refusal({ cr: { b: true, u: { 'u-1': true } } })).toBe(
      'permissions.cr.u: not an abbreviation Daily documents inside cr (only b, for base)',
    );
    expect(refusal({ cr: { base: true } })).toBe('permissions.cr.base: not an abbreviation Daily documents inside cr (only b, for base)');
    expect(refusal({ cr: { b: { v: true } } })).toBe(`permissions.cr.b: a per-media object ${NOT_SIGNABLE}; give b as true or false`);
  });

  it('refuses a mixture of long names and abbreviations', () => {
    expect(refusal({ hasPresence: true, cs: 'v' })).toBe(
      "permissions: mixes Daily's long names (hasPresence) with abbreviations (cs); give every key in one form",
    );
  });
});

// Generated permission objects: documented ones (long or short) with their expected claim, and
// each of them spoiled in one way that must be refused.
const SEND: [string, string][] = [
  ['video', 'v'],
  ['audio', 'a'],
  ['screenVideo', 'sv'],
  ['screenAudio', 'sa'],
];
type Case = { input: Record<string, unknown>; claim: Record<string, unknown> };

const sendList = fc.uniqueArray(fc.constantFrom(...SEND), { maxLength: 4, selector: ([long]) => long });
const longCase: fc.Arbitrary<Case> = fc
  .record(
    {
      hasPresence: fc.boolean(),
      canSend: fc.oneof(fc.boolean(), sendList),
      canReceive: fc.record({ base: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  )
  .filter((p) => Object.keys(p).length > 0)
  .map((p) => {
    const claim: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(p)) {
      if (key === 'hasPresence') claim['hp'] = value;
      if (key === 'canSend') {
        const list = value as boolean | [string, string][];
        claim['cs'] = typeof list === 'boolean' ? list : list.length === 0 ? false : list.map(([, s]) => s).join(',');
      }
      if (key === 'canReceive') claim['cr'] = 'base' in (value as object) ? { b: (value as { base: boolean }).base } : {};
    }
    const input = { ...p } as Record<string, unknown>;
    if (Array.isArray(p.canSend)) input['canSend'] = p.canSend.map(([long]) => long);
    return { input, claim };
  });
const shortCase: fc.Arbitrary<Case> = fc
  .record(
    {
      hp: fc.boolean(),
      cs: fc.oneof(
        fc.boolean(),
        fc.uniqueArray(fc.constantFrom('v', 'a', 'sv', 'sa'), { minLength: 1, maxLength: 4 }).map((k) => k.join(',')),
      ),
      cr: fc.record({ b: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  )
  .filter((p) => Object.keys(p).length > 0)
  .map((p) => ({ input: p, claim: p }));

/** Values of no documented type: never a boolean, a valid text or list, or an object of only documented keys. */
const junk = fc.oneof(
  fc.string({ maxLength: 6 }).filter((text) => !/^(v|a|sv|sa)(,(v|a|sv|sa))*$/.test(text)),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  fc.dictionary(
    fc.string({ minLength: 1, maxLength: 4 }).filter((k) => k !== 'b' && k !== 'base'),
    fc.jsonValue({ maxDepth: 1 }),
    {
      minKeys: 1,
      maxKeys: 2,
    },
  ),
);
/** One way to spoil a documented object; every one must be refused. */
const spoil = fc.oneof(
  fc.record({
    key: fc.constantFrom('canAdmin', 'ca', 'hasPresense', 'canSnd', 'x', '__proto__', 'constructor'),
    value: fc.oneof(junk, fc.boolean()),
  }),
  fc.record({ key: fc.constantFrom('hasPresence', 'hp'), value: junk }),
  fc.record({ key: fc.constant('canSend'), value: fc.oneof(junk, fc.constant(['customVideo']), fc.constant(['v']), fc.constant('video')) }),
  fc.record({ key: fc.constant('cs'), value: fc.oneof(junk, fc.constant('video'), fc.constant(''), fc.constant('v,customVideo')) }),
  fc.record({
    key: fc.constant('canReceive'),
    value: fc.oneof(
      junk,
      fc.record({ byUserId: fc.dictionary(fc.string(), fc.boolean()) }),
      fc.record({ base: fc.record({ video: fc.boolean() }) }),
    ),
  }),
  fc.record({
    key: fc.constant('cr'),
    value: fc.oneof(junk, fc.record({ b: fc.record({ v: fc.boolean() }) }), fc.record({ p: fc.constant({}) })),
  }),
);

/** What every signed `p` may hold: Daily's documented short keys and value types, nothing else. */
function expectDocumentedClaim(p: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(p)) {
    expect(['hp', 'cs', 'cr']).toContain(key);
    if (key === 'hp') expect(typeof value).toBe('boolean');
    if (key === 'cs' && typeof value !== 'boolean') expect(value).toMatch(/^(v|a|sv|sa)(,(v|a|sv|sa))*$/);
    if (key === 'cr') {
      for (const [inner, b] of Object.entries(value as object)) {
        expect(inner).toBe('b');
        expect(typeof b).toBe('boolean');
      }
    }
  }
}

describe('permissions: generated objects', () => {
  it('a documented object, long or short, becomes exactly its claim; the same cell as JSON too', () => {
    fc.assert(
      fc.property(fc.oneof(longCase, shortCase), ({ input, claim }) => {
        expect(translate(input)).toEqual(claim);
        expect(parsePropertyValue(PROPERTY_BY_NAME.get('permissions')!, JSON.stringify(input))).toEqual(claim);
      }),
      { numRuns: 500 },
    );
  });

  it('a documented object spoiled in one way (undocumented key or part, wrong value, a mixture) is refused with a reason naming it', () => {
    fc.assert(
      fc.property(fc.oneof(longCase, shortCase), spoil, ({ input }, { key, value }) => {
        const spoiled: Record<string, unknown> = { ...input };
        // defineProperty: a plain assignment to __proto__ would not make it a key.
        Object.defineProperty(spoiled, key, { value, enumerable: true, configurable: true, writable: true });
        const message = refusal(spoiled);
        expect(message.startsWith('permissions')).toBe(true);
        expect(message.includes(key) || message.includes('mixes')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('any object at all is either refused or signed with documented short keys and value types only', () => {
    const anyPerms = fc.dictionary(
      fc.constantFrom('hasPresence', 'canSend', 'canReceive', 'canAdmin', 'hp', 'cs', 'cr', 'ca', 'b', 'base'),
      fc.oneof(
        junk,
        fc.boolean(),
        sendList.map((l) => l.map(([long]) => long)),
        fc.dictionary(fc.constantFrom('b', 'base', 'byUserId', 'u'), fc.oneof(fc.boolean(), junk)),
      ),
    );
    fc.assert(
      fc.property(anyPerms, (perms) => {
        let p: Record<string, unknown>;
        try {
          p = translate(perms);
        } catch (error) {
          expect(error).toBeInstanceOf(Rejection);
          expect((error as Error).message).toMatch(/^permissions(\.| |:)/);
          return;
        }
        expectDocumentedClaim(p);
      }),
      { numRuns: 2000 },
    );
  });
});
