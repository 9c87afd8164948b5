// What a command loads at start-up decides its memory (bench/README.md has the numbers): these
// check it by module, which unlike RSS does not vary with the machine's load.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CLI, DOMAIN_ID, freePort, tempDir, writeFile } from '../helpers.js';

/** Runs the CLI with a resolve hook that names every module it loads on stderr. */
function withLoadedModules(args: string[], cwd: string): { status: number | null; stdout: string; loaded: string } {
  const dir = tempDir();
  const hook = writeFile(
    dir,
    'hook.mjs',
    "export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('LOADED ' + r.url + '\\n'); return r; }\n",
  );
  const register = writeFile(
    dir,
    'register.mjs',
    `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hook).href)});\n`,
  );
  const env = { ...process.env };
  delete env['DAILY_API_KEY'];
  const result = spawnSync(process.execPath, ['--import', register, CLI, ...args], { cwd, env, encoding: 'utf8' });
  const loaded = result.stderr
    .split('\n')
    .filter((line) => line.startsWith('LOADED '))
    .join('\n');
  return { status: result.status, stdout: result.stdout, loaded };
}

describe('start-up loads only what the command needs', () => {
  it('--version and -V load neither commander nor the command tree', () => {
    for (const flag of ['--version', '-V']) {
      const { status, stdout, loaded } = withLoadedModules([flag], tempDir());
      expect(status).toBe(0);
      expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
      expect(loaded).toContain('/dist/cli.js'); // the hook works
      expect(loaded).not.toContain('commander');
      expect(loaded).not.toContain('/dist/cli/');
    }
  });

  it('a run of a job without a schedule does not load node-cron; one with a schedule checks it with node-cron', () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'email,room\na@example.com,room1\n');
    writeFile(dir, 'plain.yaml', `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndemo_key: true\n`);
    const plain = withLoadedModules(['run', 'plain', '--jobs', dir, '--state', `${dir}/state`, '--log-level', 'silent'], dir);
    expect(plain.status).toBe(0);
    expect(plain.loaded).toContain('/dist/job/run-batch.js'); // the run did load its modules
    expect(plain.loaded).not.toContain('node-cron');
    // Delivery's SDKs only for a job that delivers, and each protocol's only for a job that uses it.
    for (const name of ['ssh2', '@aws-sdk', '/dist/deliver/deliver-batch.js']) expect(plain.loaded).not.toContain(name);
    expect(plain.loaded).not.toContain('/dist/notify/'); // nor notification code, for a job that notifies nobody
    expect(plain.loaded).not.toContain('prom-client');

    writeFile(dir, 'bad.yaml', `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndemo_key: true\nschedule: "61 * * * *"\n`);
    const bad = spawnSync(process.execPath, [CLI, 'run', 'bad', '--jobs', dir, '--state', `${dir}/state`], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not a valid cron schedule');
  });

  it('a job that delivers over SFTP loads ssh2 and not the AWS SDK', async () => {
    const dir = tempDir();
    const closed = await freePort(); // nothing listens there: the delivery fails at once
    writeFile(dir, 'roster.csv', 'email,room\na@example.com,room1\n');
    writeFile(
      dir,
      'drop.yaml',
      `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndemo_key: true\ndeliver:\n  - url: sftp://u@127.0.0.1:${closed}/in\n    host_key: SHA256:${'A'.repeat(43)}\n    key_file: roster.csv\n    attempts: 1\n`,
    );
    const run = withLoadedModules(['run', 'drop', '--jobs', dir, '--state', `${dir}/state`, '--log-level', 'silent'], dir);
    expect(run.status).toBe(1);
    expect(run.loaded).toContain('/node_modules/ssh2-sftp-client/');
    expect(run.loaded).not.toContain('@aws-sdk');
  });

  it('better-sqlite3 and the Redis client load only for a job with links', () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'email,room\na@example.com,room1\n');
    const job = `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndomain_name: my-team\ndemo_key: true\n`;
    writeFile(dir, 'plain.yaml', job);
    writeFile(dir, 'linked.yaml', `${job}links:\n  base_url: https://join.example.com\n`);
    const run = (name: string) => withLoadedModules(['run', name, '--jobs', dir, '--state', `${dir}/state`, '--log-level', 'silent'], dir);
    const plain = run('plain');
    expect(plain.status).toBe(0);
    expect(plain.loaded).toContain('/dist/job/run-batch.js');
    expect(plain.loaded).not.toContain('better-sqlite3');
    expect(plain.loaded).not.toContain('/redis/');
    const linked = run('linked');
    expect(linked.status).toBe(0);
    expect(linked.loaded).toContain('better-sqlite3');
    expect(linked.loaded).not.toContain('node_modules/redis/');
  });
});
