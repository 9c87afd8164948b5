// Baseline (a): one jsonwebtoken.sign per row, the way Daily's blog example signs.
import jwt from 'jsonwebtoken';
import { runBaseline } from './baseline.mjs';

const KEY = process.env.DAILY_API_KEY;
await runBaseline((payload) => jwt.sign(payload, KEY, { algorithm: 'HS256' }));
