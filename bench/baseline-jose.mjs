// Baseline (b): one jose SignJWT per row (async, WebCrypto).
import { SignJWT } from 'jose';
import { runBaseline } from './baseline.mjs';

const SECRET = new TextEncoder().encode(process.env.DAILY_API_KEY);
await runBaseline((payload) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(SECRET));
