// Deterministic roster of realistic width for benchmarks: email, room, a name with quotes and
// commas, id, owner. Written to a file, never committed.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

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

/** Writes `rows` data rows to `path`; row i is the same on every run. */
export async function writeRoster(path, rows) {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('email,room,name,id,owner\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    const name = i % 5 === 0 ? `"${last}, ${first} ""${first.slice(0, 2)}"""` : i % 3 === 0 ? `"${last}, ${first}"` : `${first} ${last}`;
    chunk += `${first.toLowerCase()}.${i}@example.com,room-${(i * 2654435761) % 5000},${name},user-${i.toString(36)},${i % 40 === 0 ? 'yes' : 'no'}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
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
