import { describe, expect, it } from 'vitest';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { prepareOutput } from '../../src/job/prepare-output.js';
import { batchNames } from '../../src/job/batch-name.js';
import { TEMP_PREFIX } from '../../src/files/temp-file.js';
import { tempDir } from '../helpers.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

describe('preparing the output directory', () => {
  it("logs what it removed of interrupted runs: their temporary files and this job's outputs without a manifest", async () => {
    const dir = tempDir();
    const roster = join(tempDir(), 'roster.csv');
    writeFileSync(roster, 'room\n');
    writeFileSync(join(dir, `${TEMP_PREFIX}${hostname()}.999999999.0123456789abcdef.tmp`), 'x');
    writeFileSync(join(dir, 'weekly-20261101T090000Z.csv'), 'x');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, 'weekly-20261101T090000Z.csv'), old, old);
    const { log, lines } = capture();
    expect(await prepareOutput(dir, roster, 'weekly', new Date('2026-11-27T10:00:00Z'), log)).toEqual(
      batchNames('weekly', '20261127T100000Z'),
    );
    expect(lines.map(({ level, msg, job, removed }) => ({ level, msg, job, removed }))).toEqual([
      { level: 30, msg: 'removed temporary files of interrupted runs', job: 'weekly', removed: 1 },
      {
        level: 40,
        msg: 'removed outputs of an interrupted run that never wrote its manifest',
        job: 'weekly',
        removed: ['weekly-20261101T090000Z.csv'],
      },
    ]);
    expect(readdirSync(dir)).toEqual([]);
    const again = capture();
    await prepareOutput(dir, roster, 'weekly', new Date('2026-11-27T10:00:00Z'), again.log);
    expect(again.lines).toEqual([]);
  });
});
