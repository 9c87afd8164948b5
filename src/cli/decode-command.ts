/** `meeting-tokens decode`: a token's claims with Daily's long names; no signature check. */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { readFileSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { LONG_NAME_BY_CLAIM } from '../claims/properties.js';
import { isoSeconds } from '../output/columns.js';
import { DECODE_HELP } from './help.js';
import { usageError } from './args.js';

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

export function decodeCommand(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(DECODE_HELP);
    return 0;
  }
  if (argv.length !== 1) throw usageError('decode takes one token (or - to read it from standard input)');
  const token = argv[0] === '-' ? readFileSync(0, 'utf8').trim() : argv[0]!.trim();
  process.stdout.write(JSON.stringify(decodeClaims(token), null, 2) + '\n');
  return 0;
}
