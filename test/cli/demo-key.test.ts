import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, writeFile, KEY, DOMAIN_ID, NOW } from '../helpers.js';

describe('which key signs', () => {
  it('a job copied from jobs/example.yaml, run without a key: result line, manifest and status say DEMO KEY', async () => {
    const dir = tempDir();
    const jobs = join(dir, 'jobs');
    mkdirSync(jobs);
    writeFile(dir, 'r.csv', 'room,name\ndemo,Ada\n');
    const example = readFileSync(join(ROOT, 'jobs', 'example.yaml'), 'utf8');
    writeFile(jobs, 'weekly.yaml', example.replace('../fixtures/example-roster.csv', '../r.csv'));
    const env = { DAILY_API_KEY: undefined };
    const run = await runCli(['run', 'weekly', '--jobs', jobs, '--now', NOW, '--log-level', 'silent'], { cwd: dir, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^done \(DEMO KEY: signed with the public demo key, Daily rejects these tokens\): 1 token, 0 rejected -> .*weekly-20261127T100000Z\.manifest\.json\n$/,
    );
    const warned = await runCli(['run', 'weekly', '--jobs', jobs, '--now', NOW, '--out', join(dir, 'out2')], { cwd: dir, env });
    expect(warned.stderr).toContain(
      '"msg":"DAILY_API_KEY is not set and the job allows demo_key (DEMO KEY: signed with the public demo key, Daily rejects these tokens)"',
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'weekly-20261127T100000Z.manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ key_source: 'demo', demo_key: true });
    const status = await runCli(['status', '--jobs', jobs], { cwd: dir, env });
    expect(status.stdout.split('\n')[1]).toMatch(/ done \(DEMO KEY: signed with the public demo key, Daily rejects these tokens\) /);

    // With a key set, the same job signs with it and says nothing of a demo key.
    const real = await runCli(['run', 'weekly', '--jobs', jobs, '--log-level', 'silent'], { cwd: dir });
    expect(real.stdout).toMatch(/^done: 1 token, 0 rejected -> /);
    const manifests = readdirSync(join(dir, 'out')).filter(
      (f) => f.endsWith('.manifest.json') && f !== 'weekly-20261127T100000Z.manifest.json',
    );
    expect(manifests.map((f) => JSON.parse(readFileSync(join(dir, 'out', f), 'utf8')) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ key_source: 'DAILY_API_KEY', demo_key: false }),
    ]);
    expect((await runCli(['status', '--jobs', jobs], { cwd: dir })).stdout).not.toContain('DEMO KEY');
  });

  it('a key in quotes or with a space is refused before anything is read or published (exit 2)', async () => {
    const dir = tempDir();
    writeFile(dir, 'r.csv', 'room\ndemo\n');
    for (const key of [`"${KEY}"`, ` ${KEY}`, `'${KEY}'`]) {
      const r = await runCli(
        ['run', '--roster', join(dir, 'r.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--allow-weak-key'],
        {
          env: { DAILY_API_KEY: key },
        },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^meeting-tokens: DAILY_API_KEY: the key (is wrapped in quotes|has whitespace before or after it)/);
      expect(r.stderr + r.stdout).not.toContain(KEY);
    }
    const weak = await runCli(['run', '--roster', join(dir, 'r.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID], {
      env: { DAILY_API_KEY: 'x'.repeat(64) },
    });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain("the key has 64 characters, not all hex digits; Daily's API keys are 64 hex digits");
    expect(readdirSync(dir)).toEqual(['r.csv']);
  });
});
