/**
 * Daily's `permissions` property, abbreviated to the claim `p`. Only the abbreviations Daily
 * documents are translated (hasPresence -> hp, canSend -> cs, canReceive -> cr with base -> b);
 * an already-abbreviated object passes verbatim. canAdmin's abbreviation is not documented, so
 * a long-form canAdmin is refused rather than guessed.
 */
import { reject } from './rejection.js';

const SEND_KINDS: Readonly<Record<string, string>> = {
  video: 'v',
  audio: 'a',
  screenVideo: 'sv',
  screenAudio: 'sa',
  v: 'v',
  a: 'a',
  sv: 'sv',
  sa: 'sa',
};

function translateCanSend(value: unknown, column: string): unknown {
  if (typeof value === 'boolean') return value;
  const kinds = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()) : null;
  if (kinds === null) return reject(`${column}.canSend: must be true, false or a list of video, audio, screenVideo, screenAudio`);
  const short = kinds.map((k) => (typeof k === 'string' && Object.hasOwn(SEND_KINDS, k) ? SEND_KINDS[k] : undefined));
  if (short.some((s) => s === undefined)) {
    return reject(`${column}.canSend: only video, audio, screenVideo and screenAudio are allowed`);
  }
  return short.join(',');
}

function translateCanReceive(value: unknown, column: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(`${column}.canReceive: must be an object such as {"base": true}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key === 'base' ? 'b' : key] = v;
  return out;
}

export function translatePermissions(perms: Record<string, unknown>, column: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(perms)) {
    switch (key) {
      case 'hasPresence':
      case 'hp':
        if (typeof value !== 'boolean') return reject(`${column}.${key}: must be true or false`);
        out['hp'] = value;
        break;
      case 'canSend':
        out['cs'] = translateCanSend(value, column);
        break;
      case 'canReceive':
        out['cr'] = translateCanReceive(value, column);
        break;
      case 'canAdmin':
        return reject(`${column}.canAdmin: Daily documents no abbreviation for it; give the abbreviated claim instead`);
      default:
        out[key] = value;
    }
  }
  return out;
}
