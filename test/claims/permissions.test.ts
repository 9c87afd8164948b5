import { describe, expect, it } from 'vitest';
import { translatePermissions } from '../../src/claims/permissions.js';
import { Rejection } from '../../src/claims/rejection.js';

const translate = (perms: Record<string, unknown>) => translatePermissions(perms, 'permissions');

describe('permissions: canSend', () => {
  it('translates every long and short media kind, in order, joined by commas', () => {
    expect(translate({ canSend: ['video', 'audio', 'screenVideo', 'screenAudio'] })).toEqual({ cs: 'v,a,sv,sa' });
    expect(translate({ canSend: ['sa', 'sv', 'a', 'v'] })).toEqual({ cs: 'sa,sv,a,v' });
  });

  it('reads a comma-separated text, trimming each kind', () => {
    expect(translate({ canSend: ' video , screenAudio,sv' })).toEqual({ cs: 'v,sa,sv' });
  });

  it('keeps true and false as they are', () => {
    expect(translate({ canSend: true })).toEqual({ cs: true });
    expect(translate({ canSend: false })).toEqual({ cs: false });
  });

  it('refuses a value that is no boolean, list or text', () => {
    for (const value of [5, null, { video: true }]) {
      expect(() => translate({ canSend: value })).toThrow(
        new Rejection('permissions.canSend: must be true, false or a list of video, audio, screenVideo, screenAudio'),
      );
    }
  });

  it('refuses a list with one unknown kind among known ones, a non-text kind, or a name of an object property', () => {
    for (const kinds of [['video', 'smell'], ['smell', 'audio'], [['v']], ['constructor'], 'toString', ['__proto__']]) {
      expect(() => translate({ canSend: kinds })).toThrow(
        new Rejection('permissions.canSend: only video, audio, screenVideo and screenAudio are allowed'),
      );
    }
  });
});

describe('permissions: canReceive', () => {
  it('renames base to b and keeps every other key', () => {
    expect(translate({ canReceive: { base: false, byUserId: { u1: true } } })).toEqual({ cr: { b: false, byUserId: { u1: true } } });
  });

  it('refuses anything but an object', () => {
    for (const value of [true, null, [{ base: true }], 'base']) {
      expect(() => translate({ canReceive: value })).toThrow(
        new Rejection('permissions.canReceive: must be an object such as {"base": true}'),
      );
    }
  });
});

describe('permissions: hasPresence and the rest', () => {
  it('hasPresence and hp must be booleans, and become hp', () => {
    expect(translate({ hasPresence: true })).toEqual({ hp: true });
    expect(translate({ hp: false })).toEqual({ hp: false });
    expect(() => translate({ hasPresence: 'yes' })).toThrow(new Rejection('permissions.hasPresence: must be true or false'));
    expect(() => translate({ hp: 1 })).toThrow(new Rejection('permissions.hp: must be true or false'));
  });

  it('refuses a long-form canAdmin, naming the column given', () => {
    expect(() => translatePermissions({ canAdmin: ['participants'] }, 'defaults.permissions')).toThrow(
      new Rejection('defaults.permissions.canAdmin: Daily documents no abbreviation for it; give the abbreviated claim instead'),
    );
  });

  it('passes other keys verbatim', () => {
    expect(translate({ ca: ['streaming'], hp: true, x: 1 })).toEqual({ ca: ['streaming'], hp: true, x: 1 });
  });
});
