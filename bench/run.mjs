// npm run bench: the real CLI end to end on generated rosters, against the ways a user would
// otherwise sign, in the same run so that the ratios hold on a noisy machine. Results go to
// stdout and into bench/README.md between the result markers.
//
// Options: --rows N (default 1,000,000), --baseline-rows N (default 50,000 for (a); (b) runs 2x
// and (c) 10x as many, so that process start-up stays a small part of each measurement; their
// rate does not depend on the roster's length), --memory 100000,1000000,5000000, --narrow 5000000
// (rows of about 25 bytes, the hardest case for memory; 0 skips it), --no-readme. The same roster
// is also run as spreadsheets export it: semicolon-separated Windows-1252, and tab-separated UTF-16LE.
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir, cpus, availableParallelism } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeRoster, writeNarrowRoster, writeRepeatingRoster } from './roster.mjs';
import { measure } from './measure.mjs';
import { benchServe } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const cli = join(root, 'dist', 'cli.js');
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'baseline-rows': { type: 'string', default: '50000' },
    memory: { type: 'string', default: '100000,1000000,5000000' },
    narrow: { type: 'string', default: '5000000' },
    'no-readme': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const baselineRows = Number(values['baseline-rows']);
const memoryRows = values.memory.split(',').filter(Boolean).map(Number);
const narrowRows = Number(values.narrow);

const KEY = 'be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000'; // 64 hex digits, like Daily's
const env = { ...process.env, DAILY_API_KEY: KEY };
const work = mkdtempSync(join(tmpdir(), 'meeting-tokens-bench-'));
const rosters = new Map();
/** Rosters as spreadsheets export them: delimiter and encoding for `writeRoster`, and the flags they need. */
const EXPORTS = {
  'semicolon-1252': { delimiter: ';', encoding: 'windows-1252', flags: ['--encoding', 'windows-1252'] },
  'tab-utf16le': { delimiter: '\t', encoding: 'utf-16le', flags: [] },
  /** Each email 1-3 times, scattered: the roster for one row per recipient. */
  repeating: { flags: [] },
};
async function roster(n, narrow = false, variant = undefined) {
  const key = `${narrow ? 'narrow' : (variant ?? 'roster')}-${n}`;
  if (!rosters.has(key)) {
    const path = join(work, `${key}.csv`);
    const write = narrow ? writeNarrowRoster : variant === 'repeating' ? writeRepeatingRoster : writeRoster;
    await write(path, n, variant ? EXPORTS[variant] : undefined);
    rosters.set(key, path);
  }
  return rosters.get(key);
}

let runs = 0;
async function ours(n, extra = [], narrow = false, variant = undefined) {
  const out = join(work, `out-${runs++}`);
  const args = [
    cli,
    'run',
    '--roster',
    await roster(n, narrow, variant),
    ...(variant ? EXPORTS[variant].flags : []),
    '--out',
    out,
    '--domain-id',
    '9cb738e1-5a95-37f1-a517-0a18cf328a39',
    '--domain-name',
    'acme',
    '--log-level',
    'warn',
    ...extra,
  ];
  const result = await measure(process.execPath, args, { env });
  if (result.code !== 0) throw new Error(`meeting-tokens failed: ${result.stderr}`);
  const manifest = JSON.parse(
    readFileSync(
      join(
        out,
        readdirSync(out).find((f) => f.endsWith('.manifest.json')),
      ),
      'utf8',
    ),
  );
  if (manifest.tokens_written !== n) throw new Error(`expected ${n} tokens, got ${manifest.tokens_written}`);
  if (extra.includes('--group-by') && !(manifest.group_by?.recipients > 0)) throw new Error('expected recipients in the manifest');
  rmSync(out, { recursive: true, force: true });
  return { ...result, rows: n };
}
/**
 * `meeting-tokens check` on the same roster: the run's stages, publishing nothing, without a key.
 * `--max-reject-ratio 0` makes any rejected row exit 3, so every row counted would get its token.
 */
async function check(n) {
  const args = [cli, 'check', '--roster', await roster(n), '--domain-id', '9cb738e1-5a95-37f1-a517-0a18cf328a39'];
  const result = await measure(process.execPath, [...args, '--domain-name', 'acme', '--max-reject-ratio', '0', '--quiet'], {
    env: { ...process.env, DAILY_API_KEY: undefined },
  });
  if (result.code !== 0) throw new Error(`meeting-tokens check failed: ${result.stderr}`);
  return { ...result, rows: n };
}
async function baseline(script, n) {
  const out = join(work, `baseline-${runs++}.csv`);
  const result = await measure(process.execPath, [join(here, script), await roster(n), out], { env });
  if (result.code !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  rmSync(out, { force: true });
  return { ...result, rows: n };
}

const rate = (r) => r.rows / r.wall;
const fmt = (n) => Math.round(n).toLocaleString('en');
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);

try {
  console.error(`generating rosters in ${work} ...`);
  const parallel = await ours(rows);
  // The same roster as JSONL (generic columns), right after: the ratio to the CSV is what counts.
  const jsonl = await ours(rows, ['--format', 'jsonl']);
  const single = await ours(rows, ['--workers', '0']);
  // Short links: every row's record written to a SQLite store (in the output directory), measured
  // against plain runs alternately, run for run (a shared machine's load drifts): the ratios are
  // of the two pairs' sums, the ranges each pair's own.
  const linkPairs = [];
  for (let i = 0; i < 2; i++) linkPairs.push([await ours(rows), await ours(rows, ['--links-base-url', 'https://join.example.com'])]);
  const linked = linkPairs.reduce((best, [, l]) => (l.wall < best.wall ? l : best), linkPairs[0][1]);
  const sum = (i, key) => linkPairs.reduce((total, pair) => total + pair[i][key], 0);
  const pairRange = (key) => linkPairs.map(([p, l]) => `${((l[key] / p[key] - 1) * 100).toFixed(0)}%`).join(', ');
  const linksSentence =
    `Short links add ${((sum(1, 'wall') / sum(0, 'wall') - 1) * 100).toFixed(0)}% wall time (pairs: ${pairRange('wall')}) and ` +
    `${((sum(1, 'cpu') / sum(0, 'cpu') - 1) * 100).toFixed(0)}% CPU (${pairRange('cpu')}) to a ${fmt(rows)}-row run, plain and linked runs alternating; ` +
    `peak RSS ${linkPairs.map(([, l]) => mb(l.peakRss)).join('/')} MB with links, ${linkPairs.map(([p]) => mb(p.peakRss)).join('/')} MB without.`;
  const checked = await check(rows);
  const semicolon1252 = await ours(rows, [], false, 'semicolon-1252');
  const utf16 = await ours(rows, [], false, 'tab-utf16le');
  // The same repeating roster with and without group_by, back to back: the ratio is what counts.
  const ungrouped = await ours(rows, [], false, 'repeating');
  const grouped = await ours(rows, ['--group-by', 'email'], false, 'repeating');
  const a = await baseline('baseline-jsonwebtoken.mjs', baselineRows);
  const b = await baseline('baseline-jose.mjs', baselineRows * 2);
  const c = await baseline('baseline-stream-hmac.mjs', baselineRows * 10);
  const memory = [];
  for (const n of memoryRows) memory.push(n === rows ? parallel : await ours(n));
  const narrow = narrowRows > 0 ? await ours(narrowRows, [], true) : undefined;
  // meeting-tokens serve: redirects/s and p99 on SQLite and Redis against a bare node:http 302.
  const serve = await benchServe();

  const line = (name, r) =>
    `| ${name} | ${fmt(r.rows)} | ${r.wall.toFixed(2)} | ${fmt(rate(r))} | ${r.cpu.toFixed(2)} | ${mb(r.peakRss)} | ${(rate(parallel) / rate(r)).toFixed(1)}x |`;
  const peaks = memory.map((r) => r.peakRss);
  const spread = (Math.max(...peaks) / Math.min(...peaks) - 1) * 100;
  const report = [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| run | rows | wall s | rows/s | CPU s | peak RSS MB | meeting-tokens is |',
    '|---|---:|---:|---:|---:|---:|---:|',
    line('meeting-tokens run (default: worker threads)', parallel),
    line(`meeting-tokens run --format jsonl (${(jsonl.wall / parallel.wall).toFixed(2)}x the CSV's time)`, jsonl),
    line('meeting-tokens run --workers 0 (main thread only)', single),
    line('meeting-tokens run with short links (--links-base-url, SQLite store)', linked),
    line('meeting-tokens check (the same stages, publishing nothing)', checked),
    line('meeting-tokens run, `;`-separated Windows-1252 roster (--encoding windows-1252)', semicolon1252),
    line('meeting-tokens run, tab-separated UTF-16LE roster (Excel "Unicode Text")', utf16),
    line('meeting-tokens run, roster with each email 1-3 times (scattered)', ungrouped),
    line(`meeting-tokens run --group-by email, the same roster (${(grouped.wall / ungrouped.wall).toFixed(2)}x its time)`, grouped),
    line('(a) csv-parse -> jsonwebtoken.sign per row -> csv-stringify', a),
    line('(b) csv-parse -> jose SignJWT per row -> csv-stringify', b),
    line('(c) csv-parse -> createHmac per row -> csv-stringify', c),
    '',
    '| memory series | rows | wall s | rows/s | peak RSS MB |',
    '|---|---:|---:|---:|---:|',
    ...memory.map((r) => `| meeting-tokens run | ${fmt(r.rows)} | ${r.wall.toFixed(2)} | ${fmt(rate(r))} | ${mb(r.peakRss)} |`),
    ...(narrow
      ? [
          `| meeting-tokens run, narrow rows (~25 bytes) | ${fmt(narrow.rows)} | ${narrow.wall.toFixed(2)} | ${fmt(rate(narrow))} | ${mb(narrow.peakRss)} |`,
        ]
      : []),
    '',
    `Peak RSS spread across the series of realistic rows: ${spread.toFixed(0)}% (max/min - 1).`,
    linksSentence,
    '',
    ...serve,
  ].join('\n');
  console.log(report);

  if (!values['no-readme']) {
    const replace = (file, marker, text) => {
      const content = readFileSync(file, 'utf8');
      const pattern = new RegExp(`<!-- ${marker}:start -->[\\s\\S]*<!-- ${marker}:end -->`);
      writeFileSync(file, content.replace(pattern, `<!-- ${marker}:start -->\n${text}\n<!-- ${marker}:end -->`));
    };
    replace(join(here, 'README.md'), 'results', report);
    const summary =
      `${fmt(rows)} rows in ${parallel.wall.toFixed(1)} s: ${fmt(rate(parallel))} rows/s end to end; ` +
      `${(rate(parallel) / rate(a)).toFixed(0)}x one jsonwebtoken.sign per row, ${(rate(parallel) / rate(b)).toFixed(0)}x one jose SignJWT per row, ` +
      `${(rate(parallel) / rate(c)).toFixed(1)}x one createHmac per row; peak RSS ${mb(Math.max(...peaks))} MB from ${fmt(Math.min(...memoryRows))} ` +
      `to ${fmt(Math.max(...memoryRows))} rows` +
      (narrow ? `, ${mb(narrow.peakRss)} MB for ${fmt(narrow.rows)} narrow rows` : '') +
      ` (${availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}).`;
    replace(join(root, 'README.md'), 'speed', summary);
    console.error('bench/README.md and README.md updated');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
