import { describe, expect, it } from 'vitest';
import { createChunkContext, processChunk, MAX_TOKEN_LENGTH, type ChunkSpec } from '../../src/pipeline/process-chunk.js';
import { planColumns } from '../../src/claims/column-plan.js';
import { createSigner } from '../../src/sign/signer.js';
import { DOMAIN_ID, KEY } from '../helpers.js';

const IAT = 1795773600;
const settings = { domainId: DOMAIN_ID, iat: IAT, ttlSeconds: 86400, maxTtlSeconds: 30 * 86400, allowAllRooms: false, defaults: new Map() };

describe('token length', () => {
  it('is limited to the 2048 characters Daily advises: the longest name under it is signed, one character more is rejected', () => {
    expect(MAX_TOKEN_LENGTH).toBe(2048);
    const sign = createSigner(KEY);
    const length = (n: number): number => sign({ r: 'demo', d: DOMAIN_ID, iat: IAT, exp: IAT + 86400, u: 'x'.repeat(n) }).length;
    let n = 0;
    while (length(n + 1) <= 2048) n++;
    expect(length(n)).toBeLessThanOrEqual(2048);
    expect(length(n + 1)).toBeGreaterThan(2048);

    const spec: ChunkSpec = {
      plan: planColumns(['room', 'name'], { roomOptional: false }),
      settings,
      joinBase: undefined,
      escapeFormulas: true,
      apiKey: KEY,
    };
    const out = processChunk(Buffer.from(`demo,${'x'.repeat(n)}\ndemo,${'x'.repeat(n + 1)}\n`), 2, createChunkContext(spec));
    expect([out.written, out.rejected]).toEqual([1, 1]);
    expect(out.rejects).toMatch(
      new RegExp(`^3,"?token: ${length(n + 1)} characters, Daily advises at most 2048; shorten user_name or the job's object properties`),
    );
  });
});
