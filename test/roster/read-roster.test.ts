import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readRoster, type RosterRecord } from '../../src/roster/read-roster.js';
import { MeetingTokensError } from '../../src/errors.js';
import { tempDir, writeFile } from '../helpers.js';

async function readAll(text: string | Buffer, chunkSize?: number): Promise<RosterRecord[]> {
  const path = writeFile(tempDir(), 'r.csv', text);
  const out: RosterRecord[] = [];
  const roster = readRoster(path, chunkSize ? { chunkSize } : {});
  for await (const batch of roster.batches) out.push(...batch);
  return out;
}

const brief = (entries: RosterRecord[]) => entries.map((e) => [e.line, ...e.fields]);

describe('roster reader', () => {
  it('reads LF and CRLF alike, with a BOM, and gives each record its starting line', async () => {
    const lf = 'room,name\na,Ada\n\n"b",Bob\n';
    const crlf = '\uFEFFroom,name\r\na,Ada\r\n\r\n"b",Bob\r\n';
    const expected = [
      [1, 'room', 'name'],
      [2, 'a', 'Ada'],
      [4, 'b', 'Bob'],
    ];
    expect(brief(await readAll(lf))).toEqual(expected);
    expect(brief(await readAll(crlf))).toEqual(expected);
  });

  it('keeps quoted commas, quotes and newlines inside fields, and counts lines across them', async () => {
    for (const nl of ['\n', '\r\n']) {
      const text = ['room,name', 'a,"Johnson, K"', `b,"two${nl}lines"`, 'c,"say ""hi"""', `d,"x${nl}${nl}y"`, 'e,last'].join(nl);
      expect(brief(await readAll(text))).toEqual([
        [1, 'room', 'name'],
        [2, 'a', 'Johnson, K'],
        [3, 'b', `two${nl}lines`],
        [5, 'c', 'say "hi"'],
        [6, 'd', `x${nl}${nl}y`],
        [9, 'e', 'last'],
      ]);
    }
  });

  it('reads quotes inside unquoted fields and after closing quotes as text, losing and inventing no record', async () => {
    const entries = await readAll('room,name\na,Ada\nb,=HYPERLINK("x")\nc,"Cy"d\ne,Eve\n');
    expect(brief(entries)).toEqual([
      [1, 'room', 'name'],
      [2, 'a', 'Ada'],
      [3, 'b', '=HYPERLINK("x")'],
      [4, 'c', '"Cy"d'],
      [5, 'e', 'Eve'],
    ]);
  });

  it('gives a record with an unbalanced quote its first and last line', async () => {
    const entries = await readAll('room,name\na,"Ada\nb,Bob\nc,"Cy"\nd,Dee\n');
    expect(entries.map((e) => [e.line, e.endLine, e.fields.length])).toEqual([
      [1, 1, 2],
      [2, 4, 2],
      [5, 5, 2],
    ]);
  });

  it('keeps rows with too many or too few fields for the mapper to reject', async () => {
    expect(brief(await readAll('room,name\na\nb,Bob,extra\n'))).toEqual([
      [1, 'room', 'name'],
      [2, 'a'],
      [3, 'b', 'Bob', 'extra'],
    ]);
  });

  it.each([
    ['an unclosed quote at the end', 'room,name\na,Ada\nb,"Bob\nc,Cy\n', /roster line 3: a quoted field opened here is never closed/],
    ['a lone quote', 'room,name\n"\n', /roster line 2: a quoted field opened here is never closed/],
  ])('fails the whole read on %s, with the line', async (_name, text, message) => {
    const error = await readAll(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingTokensError);
    expect(error).toMatchObject({ code: 'ROSTER_PARSE' });
    expect((error as Error).message).toMatch(message);
  });

  it('bounds a runaway record by max_record_size', async () => {
    const path = writeFile(tempDir(), 'big.csv', `room,name\na,"${'x'.repeat(3000)}"\n`);
    const roster = readRoster(path, { maxRecordSize: 1000 });
    const error = await (async () => {
      for await (const _ of roster.batches) void _;
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROSTER_PARSE' });
    expect((error as Error).message).toMatch(/roster line 2: a record longer than/);
  });

  it('gives the same records whatever the read chunk size, with mixed LF and CRLF endings', async () => {
    const text = 'room,name\n' + Array.from({ length: 300 }, (_, i) => `r${i},"N, ${i}\n${i}"`).join('\r\n') + '\n';
    const big = brief(await readAll(text));
    expect(brief(await readAll(text, 7))).toEqual(big);
    expect(big).toHaveLength(301);
    expect(big[300]![0]).toBe(1 + 300 * 2 - 1);
  });

  it('reports bytes and SHA-256 of what it read', async () => {
    const text = 'room\na\n';
    const path = writeFile(tempDir(), 'r.csv', text);
    const roster = readRoster(path);
    for await (const _ of roster.batches) void _;
    expect(roster.summary()).toEqual({ bytes: 7, sha256: createHash('sha256').update(text).digest('hex') });
  });

  it('names a missing roster and a directory clearly', async () => {
    const dir = tempDir();
    const read = async (path: string) => {
      for await (const _ of readRoster(path).batches) void _;
    };
    await expect(read(`${dir}/nope.csv`)).rejects.toMatchObject({
      code: 'ROSTER_UNREADABLE',
      message: expect.stringMatching(/does not exist/),
    });
    await expect(read(dir)).rejects.toMatchObject({ code: 'ROSTER_UNREADABLE', message: expect.stringMatching(/is a directory/) });
  });
});
