// The cost of an expires_local column per 1M rows, the formatter alone (the end-to-end cost is in
// bench/README.md): rows sharing one exp (a batch signed with one ttl: the memo answers), every
// row its own exp (rows with their own expires_at, all different: the worst case), 40 exps in any order, a per-row time zone column of 6 zones, and
// Intl.DateTimeFormat built per row, the way one would write it without a cache.
// Run after `npm run build`: node bench/local-time.mjs [rows]
import { createLocalTime } from '../dist/output/local-time.js';
import { TIME_FORMAT_PRESETS } from '../dist/output/time-format.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const base = { timeZone: 'Europe/Berlin', locale: 'en-GB', formatKey: 'short', options: TIME_FORMAT_PRESETS.short };
const zones = ['Europe/Berlin', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC', 'Australia/Adelaide', ''];
const exp = 1_764_579_600;
const rows = Array.from({ length: ROWS }, (_, i) => ['a@example.com', zones[i % zones.length]]);

const ways = {
  'one exp for all rows': () => {
    const time = createLocalTime(base);
    return (i) => time(exp, rows[i]);
  },
  '40 exps in any order': () => {
    const time = createLocalTime(base);
    return (i) => time(exp + ((i * 7919) % 40) * 3600, rows[i]);
  },
  'each row its own exp': () => {
    const time = createLocalTime(base);
    return (i) => time(exp + i * 60, rows[i]);
  },
  'each row its own exp and zone (6)': () => {
    const time = createLocalTime({ ...base, timeZoneColumn: { index: 1, header: 'tz' } });
    return (i) => time(exp + i * 60, rows[i]);
  },
  'new Intl.DateTimeFormat per row': () => (i) =>
    new Intl.DateTimeFormat('en-GB', { ...TIME_FORMAT_PRESETS.short, timeZone: 'Europe/Berlin' }).format((exp + i * 60) * 1000),
};

for (let round = 0; round < 2; round++) {
  for (const [name, make] of Object.entries(ways)) {
    const n = name.startsWith('new') ? Math.min(ROWS, 100_000) : ROWS;
    const run = make();
    let bytes = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) bytes += run(i).length;
    const ms = (Number(process.hrtime.bigint() - start) / 1e6) * (ROWS / n);
    if (round === 1)
      console.log(`${name.padEnd(36)} ${ms.toFixed(0).padStart(8)} ms per ${ROWS} rows${n < ROWS ? ` (from ${n})` : ''}  ${bytes} chars`);
  }
}
