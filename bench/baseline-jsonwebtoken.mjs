// Baseline (a): the way Daily's blog example signs, one jsonwebtoken.sign per row, with
// csv-parse in and csv-stringify out. Usage: node baseline-jsonwebtoken.mjs <roster> <out.csv>
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import jwt from 'jsonwebtoken';

const [roster, out] = process.argv.slice(2);
const KEY = process.env.DAILY_API_KEY;
const DOMAIN_ID = '9cb738e1-5a95-37f1-a517-0a18cf328a39';
const iat = Math.floor(Date.now() / 1000);

await pipeline(
  createReadStream(roster),
  parse({ columns: true, bom: true }),
  new Transform({
    objectMode: true,
    transform(row, _encoding, callback) {
      const payload = { r: row.room, d: DOMAIN_ID, iat, exp: iat + 7 * 86400, ud: row.id, u: row.name, o: row.owner === 'yes' };
      const token = jwt.sign(payload, KEY, { algorithm: 'HS256' });
      callback(null, { ...row, token, join_url: `https://acme.daily.co/${row.room}?t=${token}` });
    },
  }),
  stringify({ header: true }),
  createWriteStream(out),
);
