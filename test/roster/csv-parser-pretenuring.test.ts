// A chunk's records live until the chunk is signed, so V8 sees nearly all of them outlive a
// scavenge. Made by an object or array literal, V8 then pretenures them (allocates them straight
// in the old generation from optimized code), and a worker's heap grows by tens of MB between
// mark-compacts. Whether that happened in a run depended on when the parser got optimized; here
// the order is forced: a small young generation, parsing without tier-up while records outlive
// scavenges (what makes V8 decide), then the parser optimized and its records looked at.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir, writeFile } from '../helpers.js';

const PARSER = pathToFileURL(join(ROOT, 'dist', 'roster', 'csv-parser.js')).href;

const CHILD = `
const { parseRecords } = await import(${JSON.stringify(PARSER)});
const rows = [];
for (let i = 0; i < 500; i++) rows.push(\`ada.\${i}@example.com,room-\${i % 761},"Lovelace, Ada ""Ad""",user-\${i},yes\`);
const text = rows.join('\\n') + '\\n';
let sink = 0;
// Work like signing while the records are alive: more than the young generation holds.
const sign = (records) => {
  for (let r = 0; r < 12; r++) for (const record of records) sink += JSON.stringify({ u: record.fields[2], r, ud: record.fields[3] }).length;
};
%PrepareFunctionForOptimization(parseRecords);
for (let k = 0; k < 40; k++) sign(parseRecords(text, 2, 44));
%OptimizeFunctionOnNextCall(parseRecords);
const records = parseRecords(text, 2, 44);
const optimized = (%GetOptimizationStatus(parseRecords) & 64) !== 0;
const young = (pick) => records.filter((record) => %InYoungGeneration(pick(record))).length;
console.log(JSON.stringify({ records: records.length, youngRecords: young((r) => r), youngFields: young((r) => r.fields), optimized, sink }));
`;

describe('parsed records stay in the young generation', () => {
  it('optimized parsing after records outlived scavenges still allocates records and their fields young', () => {
    const script = writeFile(tempDir(), 'parse-child.mjs', CHILD);
    const flags = ['--allow-natives-syntax', '--interrupt-budget=1000000000', '--max-semi-space-size=1', '--min-semi-space-size=1'];
    const child = spawnSync(process.execPath, [...flags, script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const result = JSON.parse(child.stdout) as { records: number; youngRecords: number; youngFields: number; optimized: boolean };
    expect(result.optimized).toBe(true); // the records below come from the optimized parser
    expect(result.records).toBe(500);
    expect(result.youngRecords).toBe(500);
    expect(result.youngFields).toBe(500);
  });
});
