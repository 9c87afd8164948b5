import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../src/roster/header-record.js';
import { parseDelimiter, delimiterName } from '../../src/roster/delimiter.js';
import { readChunks } from '../../src/roster/chunker.js';
import { tempDir, writeFile } from '../helpers.js';

const detect = (text: string, settle = true) => detectDelimiter(Buffer.from(text), settle);

describe('the delimiter of a roster', () => {
  it('is the candidate that splits the header row into the most fields outside quotes', () => {
    expect(detect('room,user_name,user_id\n')).toBe(',');
    expect(detect('room;user_name;user_id\n')).toBe(';');
    expect(detect('room\tuser_name\tuser_id\n')).toBe('\t');
    expect(detect('room|user_name|user_id\n')).toBe('|');
    // A comma inside a header name does not make it comma-separated.
    expect(detect('room;"Name, full";user_id\n')).toBe(';');
    expect(detect('room;name, full;user_id;x,y\n')).toBe(';');
    expect(detect('"a;b;c",room,name\n')).toBe(',');
    // After a byte-order mark, and after empty lines.
    expect(detect('\uFEFF\r\n\r\nroom;name\r\n')).toBe(';');
  });

  it('ties go to comma, and a one-column header is comma-separated', () => {
    expect(detect('room;name,id\n')).toBe(',');
    expect(detect('room\n')).toBe(',');
    expect(detect('')).toBe(',');
  });

  it('waits for the whole header row unless the data is all there is', () => {
    expect(detect('room;name', false)).toBeUndefined();
    expect(detect('room;name', true)).toBe(';');
    expect(detect('room;"a\nb";c\n', false)).toBe(';');
  });

  it('is taken from the job or a flag by its character or its name', () => {
    expect([';', 'semicolon', 'SEMICOLON', 'tab', '\t', '\\t', '|', 'pipe', ',', 'comma'].map(parseDelimiter)).toEqual([
      ';',
      ';',
      ';',
      '\t',
      '\t',
      '\t',
      '|',
      '|',
      ',',
      ',',
    ]);
    expect(parseDelimiter(':')).toBeUndefined();
    expect(['\t', ';'].map((d) => delimiterName(d as ';'))).toEqual(['tab', 'semicolon']);
  });

  it('cuts chunks at record boundaries of that delimiter: a quote opens a field only after it', async () => {
    // With ";", `x;"a\nb"` is one record; read as comma-separated it would be two.
    const text = 'room;name\n' + Array.from({ length: 200 }, (_, i) => `r${i};"N\n${i}"`).join('\n') + '\n';
    const reader = readChunks(writeFile(tempDir(), 'r.csv', text), { chunkSize: 32 });
    const chunks = [];
    for await (const chunk of reader.chunks) chunks.push(chunk);
    expect(reader.format().delimiter).toBe(';');
    for (const chunk of chunks.slice(1)) expect(chunk.bytes.toString()).toMatch(/^r\d+;"N\n\d+"\n(r\d+;"N\n\d+"\n)*$/);
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
  });
});
