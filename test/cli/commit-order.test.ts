import { describe, expect, it } from 'vitest';
import { mkdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, DOMAIN_ID, NOW } from '../helpers.js';

/**
 * Runs the CLI on `roster` and returns the names that appeared in the output directory, in the
 * order the kernel reported them (inotify), temporary names left out.
 */
async function publicationOrder(roster: string, extra: string[] = []): Promise<{ code: number | null; order: string[] }> {
  const dir = tempDir();
  const out = join(dir, 'out');
  mkdirSync(out, { mode: 0o700 });
  const order: string[] = [];
  const watcher = watch(out, (_event, name) => {
    if (name && !name.startsWith('.') && !order.includes(name)) order.push(name);
  });
  try {
    const args = ['run', '--roster', writeFile(dir, 'roster.csv', roster), '--out', out, '--domain-id', DOMAIN_ID, '--now', NOW];
    const result = await runCli([...args, '--log-level', 'silent', ...extra]);
    // Events still in flight when the process ended: the manifest's is the last one expected.
    for (let waited = 0; waited < 5000 && !order.some((n) => n.endsWith('.manifest.json')); waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return { code: result.code, order };
  } finally {
    watcher.close();
  }
}

describe('publication order', () => {
  it('tokens and rejects appear under their final names before the manifest, the commit point', async () => {
    const { code, order } = await publicationOrder('room,name\ndemo,Ada\nbad room,Bob\n');
    expect(code).toBe(0);
    expect(order).toHaveLength(3);
    expect(order[2]).toBe('roster-20261127T100000Z.manifest.json');
    expect(order.slice(0, 2).sort()).toEqual(['roster-20261127T100000Z.csv', 'roster-20261127T100000Z.rejects.csv']);
  });

  it('with too many rejects: the rejects file, then the manifest saying so', async () => {
    const { code, order } = await publicationOrder('room,name\nbad room,Ada\nbad room,Bob\n');
    expect(code).toBe(3);
    expect(order).toEqual(['roster-20261127T100000Z.rejects.csv', 'roster-20261127T100000Z.manifest.json']);
  });
});
