import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from '../helpers.js';

// No Docker engine runs on our machines, so this repeats the Dockerfile's dependencies and runtime
// stages by hand: the dependencies stage's npm steps run as written in a fresh directory, its
// node_modules copied into a directory laid out as the runtime stage lays out the image, then the
// CLI run from there. A runtime import of a dev dependency, a file the image forgets, or a native
// module (better-sqlite3, the links store) left unbuilt fails here.

/** Each stage's instructions, by stage name (the unnamed last stage is `runtime`). */
function stages(dockerfile: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  let current: string[] = [];
  for (const raw of dockerfile.replace(/\\\n\s*/g, ' ').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) byName.set(from[1] ?? 'runtime', (current = []));
    else current.push(line);
  }
  return byName;
}

const NODE_MODULES_FROM_DEPS = /^COPY --from=deps \/app\/node_modules \.\/node_modules$/;

/**
 * Runs the dependencies stage's `RUN npm ...` steps in `app` (which holds package.json and the
 * lock file). Like Docker's layer cache, the result is kept, keyed by the stage's text, the lock
 * file, Node's version and the platform: compiling better-sqlite3 takes minutes on a busy machine.
 * CI starts from an empty node_modules, so it always runs the steps.
 */
function installDependencies(app: string, steps: string[]): void {
  const key = createHash('sha256')
    .update(steps.join('\n'))
    .update(readFileSync(join(ROOT, 'package-lock.json')))
    .update(`${process.version} ${process.platform} ${process.arch}`)
    .digest('hex')
    .slice(0, 16);
  const cached = join(ROOT, 'node_modules', '.cache', 'image-deps', key);
  if (!existsSync(cached)) {
    for (const step of steps) {
      // Each command of the step, as written, but for emptying npm's cache: that is the image's
      // layer size, and here it would be the machine's own cache.
      const commands = step.replace(/^RUN\s+/, '').split(/\s*&&\s*/);
      const kept = commands.filter((command) => !/^npm cache clean\b/.test(command));
      for (const command of kept) expect(command).toMatch(/^npm (ci|rebuild) /);
      execFileSync('sh', ['-c', kept.join(' && ')], { cwd: app, stdio: 'pipe' });
    }
    mkdirSync(join(cached, '..'), { recursive: true });
    const staging = `${cached}.${process.pid}`;
    cpSync(join(app, 'node_modules'), staging, { recursive: true });
    renameSync(staging, cached);
  } else {
    rmSync(join(app, 'node_modules'), { recursive: true, force: true });
    cpSync(cached, join(app, 'node_modules'), { recursive: true });
  }
}

describe('Docker image, without Docker', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const steps = stages(dockerfile);

  it('builds better-sqlite3 in the dependencies stage; the runtime stage takes its node_modules and has no compilers', () => {
    const deps = steps.get('deps')!;
    const runtime = steps.get('runtime')!;
    expect(deps).toContainEqual(expect.stringMatching(/apt-get install .*\bpython3\b.*\bmake\b.*\bg\+\+/));
    expect(deps).toContainEqual(expect.stringMatching(/^RUN npm ci --omit=dev --ignore-scripts .*&& npm rebuild better-sqlite3\b/));
    expect(runtime).toContainEqual(expect.stringMatching(NODE_MODULES_FROM_DEPS));
    expect(runtime.join('\n')).not.toMatch(/apt-get|g\+\+|npm (ci|install|rebuild)/);
    expect(runtime).toContain('USER node');
    // Both stages start from the same image: the module is built for the Node and glibc it runs on.
    const images = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+deps$|^FROM\s+(\S+)\s*$/gm)].map((m) => m[1] ?? m[2]);
    expect(new Set(images).size).toBe(1);
  });

  it('runs --help, the example batch, serve --help and a batch with short links from the runtime layout', async () => {
    const app = tempDir('mt-image-');
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(ROOT, file), join(app, file));
    // The install steps of the stage the runtime's node_modules come from (or its own, if it installs them).
    const runtime = steps.get('runtime')!;
    const from = runtime.map((step) => /^COPY --from=(\S+) \/app\/node_modules /.exec(step)?.[1]).find((stage) => stage !== undefined);
    installDependencies(
      app,
      (from !== undefined ? steps.get(from)! : runtime).filter((step) => /^RUN npm /.test(step)),
    );
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'jobs'), join(app, 'jobs'), { recursive: true });
    mkdirSync(join(app, 'fixtures'));
    cpSync(join(ROOT, 'fixtures', 'example-roster.csv'), join(app, 'fixtures', 'example-roster.csv'));
    for (const dev of ['typescript', 'vitest', 'eslint', 'jsonwebtoken', 'csv-stringify']) {
      expect(readdirSync(join(app, 'node_modules'))).not.toContain(dev);
    }

    const cli = join(app, 'dist', 'cli.js');
    const env = { DAILY_API_KEY: undefined, LINKS_REDIS_URL: undefined, REDIS_URL: undefined };
    const help = await runCli(['--help'], { cwd: app, cli });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('meeting-tokens run <job>');
    const batch = await runCli(['run', 'example', '--log-level', 'silent'], { cwd: app, cli, env });
    expect(batch.stderr).toBe('');
    expect(batch.code).toBe(0);
    // The example signs with the public demo key, and its result line says so.
    expect(batch.stdout).toMatch(
      /^done \(DEMO KEY: signed with the public demo key, Daily rejects these tokens\): 20 tokens, 6 rejected -> /,
    );

    const serveHelp = await runCli(['serve', '--help'], { cwd: app, cli, env });
    expect(serveHelp.stderr).toBe('');
    expect(serveHelp.code).toBe(0);
    // Short links: the run writes its records to the SQLite store (better-sqlite3, built above).
    const linked = await runCli(['run', 'example', '--links-base-url', 'https://join.example.com', '--log-level', 'silent', '--json'], {
      cwd: app,
      cli,
      env,
    });
    expect(linked.stderr).toBe('');
    expect(linked.code).toBe(0);
    const manifestPath = /"([^"]+\.manifest\.json)"/.exec(linked.stdout)![1]!;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    expect(manifest.links).toMatchObject({ base_url: 'https://join.example.com', records: 20 });
    const stats = await runCli(['links', 'stats', manifestPath], { cwd: app, cli, env });
    expect(stats.stderr).toBe('20 links: 0 opened (0 opens), 0 revoked\n');
    expect(stats.code).toBe(0);
  }, 1_200_000);
});
