// Deterministic roster of realistic width for benchmarks: email, room, a name with quotes and
// commas, id, owner. Written to a file, never committed; comma-separated UTF-8 by default, or
// with another delimiter and encoding as spreadsheets export it.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Margaret',
  'Tim',
  'Radia',
  'Zoë',
  'José',
  'Åsa',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Hamilton',
  "O'Brien",
  'Berners-Lee',
  'Perlman',
];

/**
 * Writes `rows` data rows to `path`; row i is the same on every run. `delimiter` separates the
 * fields; `encoding` is `utf-8`, `utf-16le` (with a byte-order mark) or a code page iconv-lite
 * knows (`windows-1252`).
 */
export async function writeRoster(path, rows, { delimiter = ',', encoding = 'utf-8' } = {}) {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const encode = (text) =>
    encoding === 'utf-8' ? text : encoding === 'utf-16le' ? Buffer.from(text, 'utf16le') : iconv.encode(text, encoding);
  if (encoding === 'utf-16le') out.write(Buffer.from([0xff, 0xfe]));
  const d = delimiter;
  out.write(encode(['email', 'room', 'name', 'id', 'owner'].join(d) + '\n'));
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    const name = i % 5 === 0 ? `"${last}, ${first} ""${first.slice(0, 2)}"""` : i % 3 === 0 ? `"${last}, ${first}"` : `${first} ${last}`;
    chunk += `${first.toLowerCase()}.${i}@example.com${d}room-${(i * 2654435761) % 5000}${d}${name}${d}user-${i.toString(36)}${d}${i % 40 === 0 ? 'yes' : 'no'}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(encode(chunk))) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(encode(chunk));
  await once(out, 'finish');
}

/** Writes `rows` narrow rows (room, id, name; about 25 bytes each): the most rows per byte, the hardest case for memory. */
export async function writeNarrowRoster(path, rows) {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('room,id,name\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `room-${i % 5000},u-${i.toString(36)},N ${i}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
