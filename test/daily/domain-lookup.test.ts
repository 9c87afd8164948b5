import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ID, runCli, tempDir, writeFile } from '../helpers.js';
import { startFakeDaily, type FakeDaily } from './fake-daily.js';

let daily: FakeDaily;
beforeAll(async () => {
  // Daily knows another key than the one the runs below use: it refuses them.
  daily = await startFakeDaily('f'.repeat(64), DOMAIN_ID, 'acme');
});
afterAll(() => daily.close());

const HINT = 'give --domain-id <uuid> (or domain_id in the job) to skip the lookup, or --offline to never call Daily';

async function runWithoutDomainId(apiUrl: string): Promise<{ code: number | null; stderr: string; out: string }> {
  const dir = tempDir();
  const roster = writeFile(dir, 'roster.csv', 'room\ndemo\n');
  const out = join(dir, 'out');
  const result = await runCli(['run', '--roster', roster, '--out', out], { env: { DAILY_API_URL: apiUrl } });
  return { code: result.code, stderr: result.stderr, out };
}

describe('a run whose domain id lookup fails', () => {
  it('says it was looking up the domain id, why it failed, and how to do without it: exit 1, nothing written', async () => {
    const { code, stderr, out } = await runWithoutDomainId(daily.url);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'meeting-tokens: looking up the domain id at Daily (no --domain-id given, no domain_id in the job): ' +
        `Daily API: the API key was refused (401 authentication-error); check DAILY_API_KEY; ${HINT}\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('the same when Daily cannot be reached', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { code, stderr } = await runWithoutDomainId(`http://127.0.0.1:${port}/v1`);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'meeting-tokens: looking up the domain id at Daily (no --domain-id given, no domain_id in the job): ' +
        `Daily API: cannot reach 127.0.0.1:${port} (ECONNREFUSED); ${HINT}\n`,
    );
  });
});
