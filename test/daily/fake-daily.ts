/**
 * A local HTTP server that answers like Daily's `GET /` and `GET /meeting-tokens/:token`,
 * with Daily's error shape `{ error, info }`, plus switches for rate limiting, slowness and
 * malformed bodies. Listens on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { compactVerify } from 'jose';
import { LONG_NAME_BY_CLAIM } from '../../src/claims/properties.js';

export interface FakeDaily {
  url: string;
  requests: { path: string; at: number; authorized: boolean }[];
  /** The next N requests answer 429. */
  rateLimitNext: number;
  delayMs: number;
  malformed: boolean;
  close: () => Promise<void>;
}

export async function startFakeDaily(key: string, domainId: string, domainName: string): Promise<FakeDaily> {
  const secret = new TextEncoder().encode(key);
  const state: Omit<FakeDaily, 'url' | 'close'> = { requests: [], rateLimitNext: 0, delayMs: 0, malformed: false };
  const server: Server = createServer((req, res) => {
    const authorized = req.headers.authorization === `Bearer ${key}`;
    state.requests.push({ path: req.url ?? '', at: Date.now(), authorized });
    const send = (status: number, body: unknown): void => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      setTimeout(() => {
        if (!res.writableEnded) res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      }, state.delayMs);
    };
    if (state.rateLimitNext > 0) {
      state.rateLimitNext--;
      return send(429, { error: 'rate-limit-error', info: 'too many requests' });
    }
    if (!authorized) return send(401, { error: 'authentication-error', info: 'Invalid API key' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (state.malformed) return send(200, '<html>maintenance</html>');
    if (url.pathname === '/v1/' || url.pathname === '/v1') {
      return send(200, { domain_name: domainName, domain_id: domainId, config: { domain_id: domainId, hide_daily_branding: false } });
    }
    const match = /^\/v1\/meeting-tokens\/([^/]+)$/.exec(url.pathname);
    if (!match) return send(404, { error: 'not-found', info: 'no such endpoint' });
    const token = decodeURIComponent(match[1]!);
    const ignoreNbf = url.searchParams.get('ignoreNbf') === 'true';
    // Signature first (jose), then Daily's rules: exp in the past, nbf in the future unless
    // ignoreNbf, another domain's token.
    compactVerify(token, secret, { algorithms: ['HS256'] }).then(
      ({ payload: bytes }) => {
        const payload = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
        const now = Date.now() / 1000;
        if (typeof payload['exp'] === 'number' && payload['exp'] <= now)
          return send(400, { error: 'invalid-request-error', info: 'token expired' });
        if (!ignoreNbf && typeof payload['nbf'] === 'number' && payload['nbf'] > now) {
          return send(400, { error: 'invalid-request-error', info: 'token not yet valid' });
        }
        if (payload['d'] !== domainId) return send(400, { error: 'invalid-request-error', info: 'token is not for this domain' });
        const properties: Record<string, unknown> = {};
        for (const [claim, value] of Object.entries(payload)) {
          if (claim !== 'd' && claim !== 'iat') properties[LONG_NAME_BY_CLAIM.get(claim) ?? claim] = value;
        }
        send(200, properties);
      },
      () => send(400, { error: 'invalid-request-error', info: 'invalid token' }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const fake = state as FakeDaily;
  fake.url = `http://127.0.0.1:${port}/v1`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
