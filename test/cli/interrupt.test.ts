import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { CLI, KEY, DOMAIN_ID, NOW, tempDir } from '../helpers.js';

async function bigRoster(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('email,room,name,id,owner\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`user${i}@example.com,room-${i % 100},"Name ${i}, Jr.",id-${i},${i % 50 === 0 ? 'yes' : 'no'}\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('interrupted run', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s mid-run: exit 1, one line, nothing published, no temporary file left, lock released, history says aborted',
    async (signal) => {
      const dir = tempDir();
      await bigRoster(join(dir, 'roster.csv'), 400_000);
      const out = join(dir, 'out');
      const child = spawn(
        process.execPath,
        [
          CLI,
          'run',
          '--roster',
          join(dir, 'roster.csv'),
          '--out',
          out,
          '--domain-id',
          DOMAIN_ID,
          '--now',
          NOW,
          '--allow-expired',
          '--log-level',
          'silent',
        ],
        // ./state (lock, history) goes into the test's directory.
        { env: { ...process.env, DAILY_API_KEY: KEY }, cwd: dir },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Wait until the run is writing (a temporary file exists), then interrupt it.
      const started = Date.now();
      while (!(existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tmp')))) {
        if (Date.now() - started > 20_000) throw new Error('the run never started writing');
        if (child.exitCode !== null) throw new Error(`the run ended before it could be interrupted: ${stderr}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill(signal);
      const [code] = (await once(child, 'close')) as [number];
      expect(code).toBe(1);
      expect(stderr).toBe(`meeting-tokens: run aborted (${signal}); nothing was published\n`);
      expect(readdirSync(out)).toEqual([]);
      // The lock is released and the history says the run was aborted.
      expect(readdirSync(join(dir, 'state'))).toEqual(['roster.history.jsonl']);
      const history = JSON.parse(readFileSync(join(dir, 'state', 'roster.history.jsonl'), 'utf8'));
      expect(history).toMatchObject({ job: 'roster', status: 'aborted', error: { code: 'ABORTED' } });
    },
  );
});
