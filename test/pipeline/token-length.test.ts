import { describe, expect, it } from 'vitest';
import { createChunkContext, processChunk, MAX_TOKEN_LENGTH, type ChunkResult } from '../../src/pipeline/process-chunk.js';
import { planColumns } from '../../src/claims/column-plan.js';
import { createSigner } from '../../src/sign/signer.js';
import { DOMAIN_ID, KEY } from '../helpers.js';

const IAT = 1795773600;
const settings = { domainId: DOMAIN_ID, iat: IAT, ttlSeconds: 86400, maxTtlSeconds: 30 * 86400, allowAllRooms: false, defaults: new Map() };
const sign = createSigner(KEY);
const length = (n: number): number => sign({ r: 'demo', d: DOMAIN_ID, iat: IAT, exp: IAT + 86400, u: 'x'.repeat(n) }).length;

/** The longest user_name whose token is at most `max` characters. */
function longestName(max: number): number {
  let n = 0;
  while (length(n + 1) <= max) n++;
  return n;
}

/** Signs rows `demo,<name>` (lines 2, 3, ...) under a limit (undefined: the default). */
function signNames(names: string[], maxTokenLength: number | undefined): ChunkResult<string> {
  const ctx = createChunkContext({
    plan: planColumns(['room', 'name'], { roomOptional: false }),
    settings,
    joinBase: undefined,
    escapeFormulas: true,
    apiKey: KEY,
    maxTokenLength,
    delimiter: 44,
    encoding: 'utf-8',
  });
  return processChunk(Buffer.from(names.map((name) => `demo,${name}\n`).join('')), 2, ctx);
}

describe('token length', () => {
  it('is limited to the 2048 characters Daily advises: the longest name under it is signed, one character more is rejected', () => {
    expect(MAX_TOKEN_LENGTH).toBe(2048);
    const n = longestName(2048);
    expect(length(n)).toBeLessThanOrEqual(2048);
    expect(length(n + 1)).toBeGreaterThan(2048);
    const out = signNames(['x'.repeat(n), 'x'.repeat(n + 1)], undefined);
    expect([out.written, out.rejected]).toEqual([1, 1]);
    expect(out.rejects).toMatch(
      new RegExp(`^3,"?token: ${length(n + 1)} characters, Daily advises at most 2048; shorten user_name or the job's object properties`),
    );
  });
});

describe('max_token_length', () => {
  it('rejects a row whose token is longer than the limit, naming it, and signs one at the limit', () => {
    const n = longestName(400);
    const out = signNames(['x'.repeat(n), 'x'.repeat(n + 1)], 400);
    expect([out.written, out.rejected]).toEqual([1, 1]);
    expect(out.rejects).toMatch(
      new RegExp(`^3,"?token: ${length(n + 1)} characters, max_token_length is 400; shorten user_name or the job's object properties`),
    );
  });

  it('raised above Daily advice, signs a row the default rejects', () => {
    const name = 'x'.repeat(3000);
    expect(signNames([name], 8192).written).toBe(1);
    expect(signNames([name], undefined).rejected).toBe(1);
  });
});
