/**
 * A local HTTP server that answers like Daily's `GET /`, `GET /meeting-tokens/:token` (the
 * token's properties by their long names), `GET /rooms` (newest first, at most 100 a page,
 * `limit`, `starting_after`, `ending_before`, `total_count`) and `POST /batch/rooms` (at most
 * 1,000 rooms, all created or none), with Daily's error shape `{ error, info }`, plus switches for
 * rate limiting, slowness, malformed bodies and a misread token property. Listens on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { compactVerify } from 'jose';
import { LONG_NAME_BY_CLAIM } from '../../src/claims/properties.js';

/** A room as Daily lists it; `config` holds only what differs from the defaults. */
export interface FakeRoom {
  id: string;
  name: string;
  privacy: 'public' | 'private';
  created_at: string;
  config: { exp?: number };
}

export interface FakeDaily {
  url: string;
  requests: { method: string; path: string; at: number; authorized: boolean }[];
  /** The next N requests answer 429. */
  rateLimitNext: number;
  /** Answers 429 to the requests it returns true for (`n`: the request's index in `requests`). */
  rateLimitWhen: ((path: string, n: number) => boolean) | undefined;
  delayMs: number;
  malformed: boolean;
  /** The domain's rooms, newest first (as `GET /rooms` lists them). */
  rooms: FakeRoom[];
  /** Adds a room as the newest. */
  addRoom: (name: string, options?: { privacy?: 'public' | 'private'; exp?: number }) => void;
  /** The validate answer reads this property as this value, whatever the token says. */
  misread: { property: string; value: unknown } | undefined;
  close: () => Promise<void>;
}

export async function startFakeDaily(key: string, domainId: string, domainName: string): Promise<FakeDaily> {
  const secret = new TextEncoder().encode(key);
  let nextRoomId = 1;
  const state: Omit<FakeDaily, 'url' | 'close'> = {
    requests: [],
    rateLimitNext: 0,
    rateLimitWhen: undefined,
    delayMs: 0,
    malformed: false,
    rooms: [],
    misread: undefined,
    addRoom: (name, options = {}) => {
      state.rooms.unshift(newRoom(nextRoomId++, name, options.privacy ?? 'private', options.exp));
    },
  };
  const server: Server = createServer((req, res) => {
    const authorized = req.headers.authorization === `Bearer ${key}`;
    const n = state.requests.push({ method: req.method ?? 'GET', path: req.url ?? '', at: Date.now(), authorized }) - 1;
    const send = (status: number, body: unknown): void => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      setTimeout(() => {
        if (!res.writableEnded) res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      }, state.delayMs);
    };
    if (state.rateLimitNext > 0 || state.rateLimitWhen?.(req.url ?? '', n)) {
      if (state.rateLimitNext > 0) state.rateLimitNext--;
      return send(429, { error: 'rate-limit-error', info: 'too many requests' });
    }
    if (!authorized) return send(401, { error: 'authentication-error', info: 'Invalid API key' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (state.malformed) return send(200, '<html>maintenance</html>');
    if (url.pathname === '/v1/' || url.pathname === '/v1') {
      return send(200, { domain_name: domainName, domain_id: domainId, config: { domain_id: domainId, hide_daily_branding: false } });
    }
    if (url.pathname === '/v1/rooms' && req.method === 'GET') return send(...listRooms(state.rooms, url.searchParams));
    if (url.pathname === '/v1/batch/rooms' && req.method === 'POST') {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (part: string) => (text += part));
      req.on('end', () => {
        const [status, body, created] = createRooms(state.rooms, text, () => nextRoomId++);
        state.rooms.unshift(...[...created].reverse());
        send(status, body);
      });
      return;
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
        if (state.misread) properties[state.misread.property] = state.misread.value;
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

function newRoom(id: number, name: string, privacy: 'public' | 'private', exp: number | undefined): FakeRoom {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    name,
    privacy,
    created_at: new Date().toISOString(),
    config: exp !== undefined ? { exp } : {},
  };
}

const MAX_PAGE = 100;
const MAX_BATCH = 1000;
const bad = (info: string): [number, unknown] => [400, { error: 'invalid-request-error', info }];

/** `GET /rooms`: `limit` (at most 100), the page after room `starting_after` or before room `ending_before` (ids). */
function listRooms(rooms: FakeRoom[], query: URLSearchParams): [number, unknown] {
  const limitText = query.get('limit');
  const limit = limitText === null ? MAX_PAGE : Math.min(Number(limitText), MAX_PAGE);
  if (!Number.isInteger(limit) || limit < 1) return bad('limit must be a positive integer');
  const after = query.get('starting_after');
  const before = query.get('ending_before');
  let page: FakeRoom[];
  if (after !== null) {
    const at = rooms.findIndex((r) => r.id === after);
    if (at < 0) return bad(`starting_after: no room ${after}`);
    page = rooms.slice(at + 1, at + 1 + limit);
  } else if (before !== null) {
    const at = rooms.findIndex((r) => r.id === before);
    if (at < 0) return bad(`ending_before: no room ${before}`);
    page = rooms.slice(Math.max(0, at - limit), at);
  } else page = rooms.slice(0, limit);
  return [200, { total_count: rooms.length, data: page }];
}

/** `POST /batch/rooms`: every room valid and new, at most 1,000, or nothing created. */
function createRooms(rooms: FakeRoom[], text: string, nextId: () => number): [number, unknown, FakeRoom[]] {
  let body: { rooms?: unknown };
  try {
    body = JSON.parse(text) as { rooms?: unknown };
  } catch {
    return [...bad('body is not JSON'), []];
  }
  if (!Array.isArray(body.rooms) || body.rooms.length === 0) return [...bad('rooms must be a non-empty array'), []];
  if (body.rooms.length > MAX_BATCH) return [...bad(`at most ${MAX_BATCH} rooms per call`), []];
  const names = new Set(rooms.map((r) => r.name));
  const created: FakeRoom[] = [];
  for (const room of body.rooms as { name?: unknown; privacy?: unknown; properties?: { exp?: unknown } }[]) {
    const name = room.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(name)) return [...bad(`invalid room name`), []];
    if (names.has(name)) return [...bad(`a room named ${name} already exists`), []];
    if (room.privacy !== 'private' && room.privacy !== 'public') return [...bad('privacy must be public or private'), []];
    const exp = room.properties?.exp;
    if (exp !== undefined && typeof exp !== 'number') return [...bad('exp must be a number'), []];
    names.add(name);
    created.push(newRoom(nextId(), name, room.privacy, exp));
  }
  return [200, { data: created }, created];
}
