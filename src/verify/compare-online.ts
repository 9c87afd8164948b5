/**
 * `verify --online`: what Daily read from a token (`GET /meeting-tokens/:token` answers its
 * properties by their long names) against the claims signed, property by property. A property
 * Daily reads otherwise, misses, or reads without the token carrying it is a difference; messages
 * name the property, never its value.
 */
import { isDeepStrictEqual } from 'node:util';
import { LONG_NAME_BY_CLAIM } from '../claims/properties.js';

/** Claims that are not meeting-token properties in Daily's answer: `d` is checked against the manifest offline. */
const NOT_PROPERTIES = new Set(['d', 'iat']);
const PROPERTY_NAMES = new Set([...LONG_NAME_BY_CLAIM].filter(([claim]) => !NOT_PROPERTIES.has(claim)).map(([, name]) => name));

/** Daily's defaults for a property a token leaves out (is_owner false is never signed: it keeps tokens short). */
const DEFAULTS: ReadonlyMap<string, unknown> = new Map([['is_owner', false]]);

// Daily documents these permission abbreviations (self-signing guide); its answer may use either form.
const PERMISSION_KEYS: Readonly<Record<string, string>> = { hp: 'hasPresence', cs: 'canSend', cr: 'canReceive', b: 'base' };
const CAN_SEND: Readonly<Record<string, string>> = { v: 'video', a: 'audio', sv: 'screenVideo', sa: 'screenAudio' };

/** The properties on which Daily's answer and the signed claims differ, each with how. */
export function onlineDifferences(claims: Readonly<Record<string, unknown>>, answer: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const signed = new Set<string>();
  for (const [claim, value] of Object.entries(claims)) {
    if (NOT_PROPERTIES.has(claim)) continue;
    const name = LONG_NAME_BY_CLAIM.get(claim) ?? claim;
    signed.add(name);
    if (!Object.hasOwn(answer, name)) out.push(`${name} (signed, not in Daily's answer)`);
    else if (!sameValue(name, value, answer[name])) out.push(`${name} (Daily reads another value than the one signed)`);
  }
  for (const [name, value] of Object.entries(answer)) {
    if (signed.has(name) || !PROPERTY_NAMES.has(name)) continue;
    if (DEFAULTS.has(name) && isDeepStrictEqual(DEFAULTS.get(name), value)) continue;
    out.push(`${name} (Daily reads it, the token does not carry it)`);
  }
  return out;
}

function sameValue(name: string, signed: unknown, read: unknown): boolean {
  if (isDeepStrictEqual(signed, read)) return true;
  return name === 'permissions' && isDeepStrictEqual(longPermissions(signed), read);
}

/** The abbreviated permissions object with Daily's long names (`cs: "v,a"` -> `canSend: ["video", "audio"]`). */
function longPermissions(value: unknown, key?: string): unknown {
  if (key === 'cs' && typeof value === 'string') return value.split(',').map((media) => CAN_SEND[media] ?? media);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [PERMISSION_KEYS[k] ?? k, longPermissions(v, k)]));
}
