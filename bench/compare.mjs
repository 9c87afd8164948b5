// Same-run A/B: this build against another build of the CLI (a worktree of an earlier commit,
// built), on one generated roster, runs alternated so that both see the same machine load.
//
//   node bench/compare.mjs /tmp/before/dist/cli.js [--rows 1000000] [--runs 3] [--workers N]
//
// Prints each run's wall time and peak RSS and the medians. Nothing is written to the READMEs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeRoster } from './roster.mjs';
import { measure } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' }, workers: { type: 'string' } },
});
const other = positionals[0];
if (!other) throw new Error('usage: node bench/compare.mjs <other build>/dist/cli.js [--rows N] [--runs N] [--workers N]');
const builds = [
  ['other', other],
  ['this', join(here, '..', 'dist', 'cli.js')],
];
const KEY = 'be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000';
const work = mkdtempSync(join(tmpdir(), 'meeting-tokens-compare-'));
try {
  const roster = join(work, 'roster.csv');
  await writeRoster(roster, Number(values.rows));
  const results = new Map(builds.map(([name]) => [name, []]));
  for (let run = 0; run < Number(values.runs); run++) {
    for (const [name, cli] of run % 2 === 0 ? builds : [...builds].reverse()) {
      const out = join(work, `out-${name}-${run}`);
      const args = [cli, 'run', '--roster', roster, '--out', out, '--domain-id', '9cb738e1-5a95-37f1-a517-0a18cf328a39'];
      args.push('--domain-name', 'acme', '--log-level', 'warn', ...(values.workers ? ['--workers', values.workers] : []));
      const r = await measure(process.execPath, args, { env: { ...process.env, DAILY_API_KEY: KEY } });
      if (r.code !== 0) throw new Error(`${name} failed: ${r.stderr}`);
      results.get(name).push(r);
      rmSync(out, { recursive: true, force: true });
      console.log(`${name} run ${run + 1}: ${r.wall.toFixed(2)} s, peak RSS ${(r.peakRss / 1024 / 1024).toFixed(0)} MB`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, rs] of results) {
    const walls = rs.map((r) => r.wall.toFixed(2)).join(', ');
    const rss = rs.map((r) => (r.peakRss / 1024 / 1024).toFixed(0)).join(', ');
    console.log(`| ${name} | ${walls} | ${median(rs.map((r) => r.wall)).toFixed(2)} | ${rss} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
