/**
 * Daily's meeting-token properties: the long name used in job files and roster columns, the
 * abbreviated claim that goes into a self-signed token, and the rule its value must follow.
 * Source: shared/daily-tokens.md (Daily's REST reference, "Self-signing tokens").
 */
export type PropertyRule =
  | { kind: 'boolean' }
  | { kind: 'string'; maxLength?: number }
  /** http(s) only: Daily's servers call it. */
  | { kind: 'url' }
  /** Any absolute URL (a mobile app's deep link too) but javascript:, data: and file:. */
  | { kind: 'exitUrl' }
  | { kind: 'positiveInteger' }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'object' };

export interface PropertySpec {
  readonly name: string;
  readonly claim: string;
  readonly rule: PropertyRule;
}

export const LANGUAGES = [
  'da',
  'de',
  'en',
  'es',
  'fi',
  'fr',
  'it',
  'jp',
  'ka',
  'nl',
  'no',
  'pt',
  'pt-BR',
  'pl',
  'ru',
  'sv',
  'tr',
  'user',
] as const;

// "cloud-audio-only" appears in some of Daily's docs only; accepting it costs nothing.
export const RECORDING_MODES = ['cloud', 'local', 'raw-tracks', 'cloud-audio-only'] as const;

const bool = { kind: 'boolean' } as const;

/**
 * Properties a job default or a roster column may set, in the order their claims are written.
 * room_name, domain_id, not_before and expires_at are handled by the mapper itself (they have
 * their own rules and sources), and `iat` is always set by the run.
 */
export const PROPERTIES: readonly PropertySpec[] = [
  { name: 'user_id', claim: 'ud', rule: { kind: 'string', maxLength: 36 } },
  { name: 'user_name', claim: 'u', rule: { kind: 'string' } },
  { name: 'is_owner', claim: 'o', rule: bool },
  { name: 'knocking', claim: 'k', rule: bool },
  { name: 'close_tab_on_exit', claim: 'ctoe', rule: bool },
  { name: 'redirect_on_meeting_exit', claim: 'rome', rule: { kind: 'exitUrl' } },
  { name: 'intercom_join_alert', claim: 'ij', rule: bool },
  { name: 'start_cloud_recording', claim: 'sr', rule: bool },
  { name: 'start_cloud_recording_opts', claim: 'sro', rule: { kind: 'object' } },
  { name: 'auto_start_transcription', claim: 'ast', rule: bool },
  { name: 'enable_recording', claim: 'er', rule: { kind: 'oneOf', values: RECORDING_MODES } },
  { name: 'enable_screenshare', claim: 'ss', rule: bool },
  { name: 'start_video_off', claim: 'vo', rule: bool },
  { name: 'start_audio_off', claim: 'ao', rule: bool },
  { name: 'meeting_join_hook', claim: 'mjh', rule: { kind: 'url' } },
  { name: 'eject_at_token_exp', claim: 'ejt', rule: bool },
  { name: 'eject_after_elapsed', claim: 'eje', rule: { kind: 'positiveInteger' } },
  { name: 'lang', claim: 'uil', rule: { kind: 'oneOf', values: LANGUAGES } },
  { name: 'enable_recording_ui', claim: 'erui', rule: bool },
  { name: 'permissions', claim: 'p', rule: { kind: 'object' } },
];

/**
 * Documented meeting-token properties (create-meeting-token reference) that have no abbreviation
 * in the self-signing table: a column or job default naming one is refused, never dropped.
 */
export const UNSIGNABLE_PROPERTIES: ReadonlySet<string> = new Set(['enable_prejoin_ui', 'enable_live_captions_ui', 'enable_terse_logging']);

/** Why `name` (one of `UNSIGNABLE_PROPERTIES`) cannot be given, and where to set it instead. */
export function unsignableMessage(name: string): string {
  return `${name} cannot be carried by a self-signed token (Daily documents no abbreviation for it); set it on the room or the domain instead`;
}

export const PROPERTY_BY_NAME: ReadonlyMap<string, PropertySpec> = new Map(PROPERTIES.map((p) => [p.name, p]));

/** Long names for every claim a token may carry, for `decode` and `verify`. */
export const LONG_NAME_BY_CLAIM: ReadonlyMap<string, string> = new Map([
  ['r', 'room_name'],
  ['d', 'domain_id'],
  ['iat', 'iat'],
  ['nbf', 'nbf'],
  ['exp', 'exp'],
  ...PROPERTIES.map((p): [string, string] => [p.claim, p.name]),
]);

/** Daily's room-name rule: only A-Z a-z 0-9 - _, 1 to 128 characters. */
export const ROOM_NAME = /^[A-Za-z0-9_-]{1,128}$/;
