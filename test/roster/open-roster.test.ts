import { describe, expect, it } from 'vitest';
import { appendFileSync, renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRoster } from '../../src/roster/open-roster.js';
import { tempDir, writeFile } from '../helpers.js';

const BOM = '\ufeff';

async function headerError(text: string | Buffer) {
  const path = writeFile(tempDir(), 'roster.csv', text);
  return {
    path,
    error: await openRoster(path).then(
      () => undefined,
      (e: unknown) => e,
    ),
  };
}

describe('opening a roster', () => {
  it('reads the header fields, and leaves the rows to the chunks that follow', async () => {
    const text = 'room,"na\nme",id\r\ndemo,Ada,a1\n';
    const path = writeFile(tempDir(), 'roster.csv', BOM + text);
    const roster = await openRoster(path);
    expect(roster.headers).toEqual(['room', 'na\nme', 'id']);
    expect(roster.headerBytes).toBe(Buffer.byteLength(BOM + 'room,"na\nme",id\r\n'));
    expect(roster.sizeBefore).toBe(Buffer.byteLength(BOM + text));
    const rest = [];
    for await (const chunk of roster.chunks) rest.push(chunk);
    expect(rest.map((c) => [c.firstLine, c.bytes.toString()])).toEqual([[3, 'demo,Ada,a1\n']]);
  });

  it.each([
    ['an empty file', ''],
    ['blank lines only', '\n\r\n\n'],
    ['a byte-order mark and a blank line', `${BOM}\n`],
  ])('%s: "is empty", naming the roster', async (_what, text) => {
    const { path, error } = await headerError(text);
    expect(error).toMatchObject({
      code: 'ROSTER_HEADER',
      message: `roster ${path} is empty; the first line must be a header row`,
      context: { file: path },
    });
  });

  it('a header that is not UTF-8: its line, and the encoding to set', async () => {
    const { path, error } = await headerError(Buffer.concat([Buffer.from('\nroom,n'), Buffer.from([0xe9]), Buffer.from('me\nx,y\n')]));
    expect(error).toMatchObject({
      code: 'ROSTER_HEADER',
      message: `roster ${path} line 1: the header row has bytes that are not UTF-8 (looks like Windows-1252; set encoding: windows-1252)`,
      context: { file: path, line: 1 },
    });
  });

  it('a quoted header field never closed: the line it opens on', async () => {
    const { path, error } = await headerError('\n\nroom,"name\n');
    expect(error).toMatchObject({
      code: 'ROSTER_HEADER',
      message: `roster ${path} line 3: a quoted field of the header row is never closed; fix the header and run again`,
      context: { file: path, line: 3 },
    });
  });

  describe('a roster changed while it was read fails the run', () => {
    async function opened(text = 'room,name\ndemo,Ada\n') {
      const dir = tempDir();
      const path = writeFile(dir, 'roster.csv', text);
      const hourAgo = new Date(Date.now() - 3600_000);
      utimesSync(path, hourAgo, hourAgo);
      const roster = await openRoster(path);
      return { dir, path, roster, size: Buffer.byteLength(text), written: hourAgo };
    }
    const changed = (path: string, why: string) => ({
      code: 'ROSTER_CHANGED',
      message: `roster ${path} ${why} while it was read; nothing was published, run again once it is complete`,
      context: { file: path },
    });

    it('unchanged and read in full: passes', async () => {
      const { roster, size } = await opened();
      await expect(roster.checkUnchanged(size)).resolves.toBeUndefined();
    });

    it('deleted', async () => {
      const { path, roster, size } = await opened();
      unlinkSync(path);
      await expect(roster.checkUnchanged(size)).rejects.toMatchObject(changed(path, 'was deleted'));
    });

    it('replaced by another file, even of the same size', async () => {
      const { dir, path, roster, size } = await opened();
      writeFileSync(join(dir, 'new.csv'), 'room,name\ndemo,Bob\n');
      renameSync(join(dir, 'new.csv'), path);
      await expect(roster.checkUnchanged(size)).rejects.toMatchObject(changed(path, 'was replaced'));
    });

    it('appended to, rewritten in place, or not read to its end', async () => {
      const a = await opened();
      appendFileSync(a.path, 'demo,Cy\n');
      await expect(a.roster.checkUnchanged(a.size)).rejects.toMatchObject(
        changed(a.path, `changed (${a.size} bytes at the start, ${a.size} read, ${a.size + 8} now): is it still being written?`),
      );
      const b = await opened();
      writeFileSync(b.path, 'room,name\ndemo,Bob\n'); // same size, new mtime
      await expect(b.roster.checkUnchanged(b.size)).rejects.toMatchObject({ code: 'ROSTER_CHANGED' });
      // Copied over in place keeping the old time (cp -p): only the size tells.
      const d = await opened();
      writeFileSync(d.path, 'room,name\ndemo,Ada\ndemo,Bob\n');
      utimesSync(d.path, d.written, d.written);
      await expect(d.roster.checkUnchanged(d.size)).rejects.toMatchObject({ code: 'ROSTER_CHANGED' });
      const c = await opened();
      await expect(c.roster.checkUnchanged(c.size - 1)).rejects.toMatchObject(
        changed(c.path, `changed (${c.size} bytes at the start, ${c.size - 1} read, ${c.size} now): is it still being written?`),
      );
    });
  });
});
