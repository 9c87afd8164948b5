import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from '../helpers.js';

// No Docker engine runs on our machines, so this repeats the runtime stage of the Dockerfile by
// hand: the same files copied, a production-only install, then the CLI run from there. A runtime
// import of a dev dependency, or a file the image forgets, fails here.
describe('Docker image runtime stage, without Docker', () => {
  it('installs production dependencies only and runs --help and the example batch', async () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toContain('npm ci --omit=dev --ignore-scripts');
    expect(runtime).toMatch(/USER node/);

    const app = tempDir('mt-image-');
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(ROOT, file), join(app, file));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'jobs'), join(app, 'jobs'), { recursive: true });
    mkdirSync(join(app, 'fixtures'));
    cpSync(join(ROOT, 'fixtures', 'example-roster.csv'), join(app, 'fixtures', 'example-roster.csv'));
    for (const dev of ['typescript', 'vitest', 'eslint', 'jsonwebtoken', 'csv-stringify']) {
      expect(readdirSync(join(app, 'node_modules'))).not.toContain(dev);
    }

    const cli = join(app, 'dist', 'cli.js');
    const help = await runCli(['--help'], { cwd: app, cli });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('meeting-tokens run <job>');
    const batch = await runCli(['run', 'example', '--log-level', 'silent'], { cwd: app, cli, env: { DAILY_API_KEY: undefined } });
    expect(batch.stderr).toBe('');
    expect(batch.code).toBe(0);
    // The example signs with the public demo key, and its result line says so.
    expect(batch.stdout).toMatch(
      /^done \(DEMO KEY: signed with the public demo key, Daily rejects these tokens\): 20 tokens, 6 rejected -> /,
    );
  }, 180_000);
});
