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

/**
 * Writes `rows` rows whose recipients repeat: each email 1 to 3 times (2 on average), its rows
 * scattered over the roster (a fixed shuffle), as a roster of people invited to several rooms is.
 */
export async function writeRepeatingRoster(path, rows) {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('email,room,name,id,owner\n');
  // Recipient of row i: a fixed permutation of the slots [0, 0, 1, 1, 1, 2, 3, 3, ...] (1-3 each).
  const owners = new Uint32Array(rows);
  let person = 0;
  for (let i = 0; i < rows; person++) for (let k = 0; k < 1 + (person % 3) && i < rows; k++) owners[i++] = person;
  let seed = 0x2545f491;
  for (let i = rows - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [owners[i], owners[j]] = [owners[j], owners[i]];
  }
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const p = owners[i];
    const first = FIRST[p % FIRST.length];
    const last = LAST[(p * 7) % LAST.length];
    chunk += `${first.toLowerCase()}.${p}@example.com,room-${(i * 2654435761) % 5000},${first} ${last},user-${p.toString(36)},${i % 40 === 0 ? 'yes' : 'no'}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
