/** `meeting-tokens decode`: a token's claims with Daily's long names; no signature check. */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { readFileSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { LONG_NAME_BY_CLAIM } from '../claims/properties.js';
import { isoSeconds } from '../output/columns.js';
import { printResult, type OutputFlags } from './output.js';

export function decodeClaims(token: string): Record<string, unknown> {
  let header: unknown;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw new MeetingTokensError('TOKEN_INVALID', 'not a JWT: expected three base64url parts separated by dots');
  }
  const out: Record<string, unknown> = { header };
  for (const [claim, value] of Object.entries(claims)) {
    const name = LONG_NAME_BY_CLAIM.get(claim) ?? claim;
    out[name] = value;
    if (claim === 'iat' || claim === 'nbf' || claim === 'exp') {
      out[{ iat: 'issued_at', nbf: 'not_before', exp: 'expires_at' }[claim]] = isTime(value) ? isoSeconds(value) : 'not a time';
    }
  }
  return out;
}

/** Unix seconds a Date can hold (ECMAScript: within 8.64e15 ms of 1970); `1e300` is not. */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e12;
}

/** The token itself, or the one in a join link's `t` parameter (https://team.daily.co/room?t=...). */
export function tokenFrom(input: string): string {
  const text = input.trim();
  if (!/^https?:\/\//i.test(text)) return text;
  let link: URL;
  try {
    link = new URL(text);
  } catch {
    throw new MeetingTokensError('TOKEN_INVALID', 'not a join link: the URL does not parse');
  }
  const token = link.searchParams.get('t');
  if (!token) throw new MeetingTokensError('TOKEN_INVALID', `join link ${link.origin}${link.pathname} has no token (no t= parameter)`);
  return token;
}

/** `decode <token|link|->`; `--json` prints the claims on one line instead of indented. */
export async function decodeCommand(argument: string, values: OutputFlags): Promise<number> {
  const token = tokenFrom(argument === '-' ? readFileSync(0, 'utf8') : argument);
  const claims = decodeClaims(token);
  printResult(
    values,
    () => JSON.stringify(claims, null, 2) + '\n',
    () => claims,
  );
  return 0;
}
