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
    if ((claim === 'iat' || claim === 'nbf' || claim === 'exp') && typeof value === 'number') {
      out[{ iat: 'issued_at', nbf: 'not_before', exp: 'expires_at' }[claim]] = isoSeconds(value);
    }
  }
  return out;
}

/** `decode <token|->`; `--json` prints the claims on one line instead of indented. */
export async function decodeCommand(argument: string, values: OutputFlags): Promise<number> {
  const token = argument === '-' ? readFileSync(0, 'utf8').trim() : argument.trim();
  const claims = decodeClaims(token);
  printResult(
    values,
    () => JSON.stringify(claims, null, 2) + '\n',
    () => claims,
  );
  return 0;
}
