// The per-cell length check of the output profiles on 1M cells (a mix a mailer file holds: emails,
// ASCII and accented names, ~245-byte join links, readable times), against the ways one would
// otherwise write it. Counts the garbage collections during each loop: none means the check did
// not allocate. Run after `npm run build`: node bench/cell-limit.mjs [cells]
import { PerformanceObserver } from 'node:perf_hooks';
import { PROFILES } from '../dist/output/profiles.js';
import { cellLimitProblem } from '../dist/output/profile-rules.js';

const CELLS = Number(process.argv[2] ?? 1_000_000);
const link = (i) => `https://acme.daily.co/room-${i % 97}?t=eyJhbGciOiJIUzI1NiJ9.${'x'.repeat(170)}${i}`;
const kinds = [
  (i) => `user${i}@example.com`,
  (i) => `Ada Lovelace ${i}`,
  (i) => `Zoë Müller-Lüdenscheidt ${i}`,
  link,
  () => 'Mon 1 Dec 2025, 10:00 CET',
];
const cells = Array.from({ length: CELLS }, (_, i) => kinds[i % kinds.length](i));

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });

const ways = {
  'cellLimitProblem (mailchimp, 255 bytes)': (v) => cellLimitProblem(PROFILES.mailchimp, 'X', v),
  'Buffer.byteLength > 255': (v) => (Buffer.byteLength(v, 'utf8') > 255 ? 'over' : null),
  'TextEncoder.encode().length > 255': (() => {
    const encoder = new TextEncoder();
    return (v) => (encoder.encode(v).length > 255 ? 'over' : null);
  })(),
  'cellLimitProblem (braze, 255 characters)': (v) => cellLimitProblem(PROFILES.braze, 'X', v),
  '[...v].length > 255': (v) => ([...v].length > 255 ? 'over' : null),
};

for (let round = 0; round < 2; round++) {
  for (const [name, check] of Object.entries(ways)) {
    await new Promise((r) => setTimeout(r, 20)); // let the observer report earlier collections
    gcs = 0;
    let over = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < cells.length; i++) if (check(cells[i]) !== null) over++;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await new Promise((r) => setTimeout(r, 20));
    if (round === 1) console.log(`${name.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms  ${String(gcs).padStart(4)} GCs  ${over} over`);
  }
}
