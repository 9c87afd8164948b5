// Reference (c): one node:crypto createHmac per row, with JSON and base64url by hand.
import { createHmac } from 'node:crypto';
import { runBaseline } from './baseline.mjs';

const KEY = process.env.DAILY_API_KEY;
const HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
await runBaseline((payload) => {
  const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', KEY).update(input).digest('base64url')}`;
});
