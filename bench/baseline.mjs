// The shared shape of the baselines: csv-parse -> one signature per row -> csv-stringify, as an
// object-mode stream, the way most code signs tokens in bulk. `signRow(payload)` returns the token
// (or a promise of it). Usage of a baseline: node baseline-X.mjs <roster> <out.csv>
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

export const DOMAIN_ID = '9cb738e1-5a95-37f1-a517-0a18cf328a39';

export async function runBaseline(signRow) {
  const [roster, out] = process.argv.slice(2);
  const iat = Math.floor(Date.now() / 1000);
  await pipeline(
    createReadStream(roster),
    parse({ columns: true, bom: true }),
    new Transform({
      objectMode: true,
      transform(row, _encoding, callback) {
        const payload = { r: row.room, d: DOMAIN_ID, iat, exp: iat + 7 * 86400, ud: row.id, u: row.name, o: row.owner === 'yes' };
        Promise.resolve(signRow(payload)).then(
          (token) => callback(null, { ...row, token, join_url: `https://acme.daily.co/${row.room}?t=${token}` }),
          callback,
        );
      },
    }),
    stringify({ header: true }),
    createWriteStream(out),
  );
}
