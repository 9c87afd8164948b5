/**
 * Parsers for one claim value. Roster cells arrive as strings and are parsed strictly; job
 * defaults arrive typed from YAML and are checked. Each throws a Rejection naming the column.
 */
import { type PropertySpec } from './properties.js';
import { reject } from './rejection.js';
import { translatePermissions } from './permissions.js';
import { checkJsonShape, checkJsonText } from './json-shape.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// y/n and t/f too: spreadsheets and CRMs export booleans that way.
const TRUE = new Set(['true', 'yes', 'y', 't', '1']);
const FALSE = new Set(['false', 'no', 'n', 'f', '0']);

export function parseBoolean(value: unknown, column: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
  }
  return reject(`${column}: ${describe(value)} is not a boolean; use true/false, yes/no, y/n, t/f or 1/0`);
}

export function parsePositiveInteger(value: unknown, column: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) return n;
  if (n === 0) {
    // Daily's reference gives a number of seconds after joining and no meaning for 0.
    return reject(`${column}: 0 would eject the user as they join (Daily documents no meaning for 0); leave it empty for no limit`);
  }
  return reject(`${column}: ${describe(value)} is not a positive whole number of seconds`);
}

// ISO 8601 date-time with a mandatory offset; a time without one is ambiguous across zones.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** A point in time as unix seconds: ISO 8601 with an offset, or whole unix seconds. */
export function parseTime(value: unknown, column: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return Math.floor(value.getTime() / 1000);
  if (typeof value === 'string') {
    if (/^\d{1,12}$/.test(value)) return Number(value);
    const m = ISO_WITH_OFFSET.exec(value);
    if (m) {
      const ms = Date.parse(value.replace(' ', 'T'));
      // Date.parse rolls 2026-02-30 over into March; compare the fields to refuse it.
      const month = Number(m[2]);
      const day = Number(m[3]);
      const daysInMonth = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
      if (!Number.isNaN(ms) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth) {
        return Math.floor(ms / 1000);
      }
      return reject(`${column}: ${describe(value)} is not a real date and time`);
    }
    if (/^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value)) {
      return reject(
        `${column}: ${describe(value)} has no time zone offset; add one, e.g. ${value.length === 10 ? `${value}T09:00:00Z` : `${value}Z`}`,
      );
    }
  }
  return reject(`${column}: ${describe(value)} is not an ISO 8601 time with offset or unix seconds`);
}

/** Schemes that run or read something where the user is, rather than take them somewhere. */
const UNSAFE_SCHEMES: ReadonlySet<string> = new Set(['javascript:', 'data:', 'file:']);

function parseUrl(value: unknown, column: string, anyScheme: boolean): string {
  let url: URL | undefined;
  if (typeof value === 'string' && !CONTROL.test(value)) {
    try {
      url = new URL(value);
    } catch {
      // rejected below
    }
  }
  if (!anyScheme) {
    if (url?.protocol === 'https:' || url?.protocol === 'http:') return value as string;
    return reject(`${column}: ${describe(value)} is not an http(s) URL`);
  }
  if (url === undefined)
    return reject(`${column}: ${describe(value)} is not an absolute URL (https://... or an app link such as myapp://...)`);
  if (UNSAFE_SCHEMES.has(url.protocol))
    return reject(`${column}: ${url.protocol} URLs are not allowed; give an https:// URL or an app link`);
  return value as string;
}

function parseObject(value: unknown, column: string): Record<string, unknown> {
  let obj = value;
  if (typeof value === 'string') {
    checkJsonText(value, column);
    try {
      obj = JSON.parse(value);
    } catch {
      return reject(`${column}: not valid JSON; give a JSON object such as {"hp":true}`);
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return reject(`${column}: must be a JSON object`);
  checkJsonShape(obj, column);
  return obj as Record<string, unknown>;
}

/** Turns a job default or a roster cell into the claim value of `spec`, or rejects it. */
export function parsePropertyValue(spec: PropertySpec, value: unknown, column: string = spec.name): unknown {
  const rule = spec.rule;
  switch (rule.kind) {
    case 'boolean':
      return parseBoolean(value, column);
    case 'positiveInteger':
      return parsePositiveInteger(value, column);
    case 'url':
    case 'exitUrl':
      return parseUrl(value, column, rule.kind === 'exitUrl');
    case 'oneOf':
      if (typeof value === 'string' && rule.values.includes(value)) return value;
      return reject(`${column}: ${describe(value)} is not one of Daily's values (${rule.values.join(', ')})`);
    case 'string': {
      const text = typeof value === 'number' ? String(value) : value;
      if (typeof text !== 'string') return reject(`${column}: must be text`);
      // Line breaks and other control characters have no place in a name or an id; they are
      // also the mark of a roster whose open quote swallowed the lines after it.
      if (CONTROL.test(text)) return reject(`${column}: contains a line break or another control character`);
      if (rule.maxLength !== undefined && text.length > rule.maxLength) {
        return reject(`${column}: ${text.length} characters, Daily allows at most ${rule.maxLength}`);
      }
      return text;
    }
    case 'object': {
      const obj = parseObject(value, column);
      return spec.name === 'permissions' ? translatePermissions(obj, column) : obj;
    }
  }
}

/** Quotes a short value for a message; long ones are cut so no message carries a whole field. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 40 ? `"${value.slice(0, 37)}..." (${value.length} characters)` : JSON.stringify(value);
  }
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
