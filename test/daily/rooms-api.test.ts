import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDaily, type FakeDaily } from './fake-daily.js';
import { DailyClient } from '../../src/daily/client.js';
import { listDomainRooms } from '../../src/rooms/room-index.js';
import { KEY, DOMAIN_ID } from '../helpers.js';

let daily: FakeDaily;
let client: DailyClient;

beforeAll(async () => {
  daily = await startFakeDaily(KEY, DOMAIN_ID, 'acme');
  client = new DailyClient({ apiKey: KEY, baseUrl: daily.url });
});
afterAll(async () => {
  await daily.close();
});
beforeEach(() => {
  daily.requests.length = 0;
  daily.rooms.length = 0;
  daily.rateLimitNext = 0;
  daily.rateLimitWhen = undefined;
});

const addRooms = (n: number, prefix = 'room'): void => {
  for (let i = 0; i < n; i++) daily.addRoom(`${prefix}-${i}`);
};

describe('the stand-in lists rooms as Daily does', () => {
  it('newest first, at most 100 a page, starting_after and ending_before by room id, total_count of all', async () => {
    addRooms(150);
    const first = await client.listRoomsPage();
    expect(first.totalCount).toBe(150);
    expect(first.rooms).toHaveLength(100);
    expect(first.rooms[0]!.name).toBe('room-149');
    const second = await client.listRoomsPage(first.rooms[99]!.id);
    expect(second.rooms.map((r) => r.name)).toEqual(Array.from({ length: 50 }, (_, i) => `room-${49 - i}`));
    const res = await fetch(`${daily.url}/rooms?limit=500&ending_before=${second.rooms[0]!.id}`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    const back = (await res.json()) as { data: { name: string }[] };
    expect(back.data).toHaveLength(100);
    expect(back.data[99]!.name).toBe('room-50');
  });

  it('creates a batch all or none: one bad room creates nothing', async () => {
    daily.addRoom('taken');
    await expect(
      client.createRooms([
        { name: 'fresh', privacy: 'private', properties: { exp: 2_000_000_000 } },
        { name: 'taken', privacy: 'private', properties: { exp: 2_000_000_000 } },
      ]),
    ).rejects.toThrow(
      'Daily API: POST /batch/rooms refused 2 rooms (400 invalid-request-error: a room named taken already exists); none of them was created',
    );
    expect(daily.rooms.map((r) => r.name)).toEqual(['taken']);
    const tooMany = await fetch(`${daily.url}/batch/rooms`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ rooms: Array.from({ length: 1001 }, (_, i) => ({ name: `r${i}`, privacy: 'private' })) }),
    });
    expect(tooMany.status).toBe(400);
    expect(daily.rooms).toHaveLength(1);
  });
});

describe('listDomainRooms', () => {
  it('follows the pages to the last room, 100 at a time, with privacy and exp', async () => {
    addRooms(250);
    daily.addRoom('lobby', { privacy: 'public' });
    daily.addRoom('closing', { exp: 1_900_000_000 });
    const index = await listDomainRooms(client, 'acme');
    expect(index.rooms.size).toBe(252);
    expect(index.rooms.get('room-0')).toEqual({ public: false, exp: undefined });
    expect(index.rooms.get('lobby')).toEqual({ public: true, exp: undefined });
    expect(index.rooms.get('closing')).toEqual({ public: false, exp: 1_900_000_000 });
    const paths = daily.requests.map((r) => r.path);
    expect(paths).toHaveLength(3);
    expect(paths[0]).toBe('/v1/rooms?limit=100');
    expect(paths[1]).toBe(`/v1/rooms?limit=100&starting_after=${daily.rooms[99]!.id}`);
    expect(paths[2]).toBe(`/v1/rooms?limit=100&starting_after=${daily.rooms[199]!.id}`);
  });

  it('a domain of exactly 100 rooms takes one page; an empty domain one request', async () => {
    addRooms(100);
    expect((await listDomainRooms(client, 'acme')).rooms.size).toBe(100);
    expect(daily.requests).toHaveLength(1);
    daily.rooms.length = 0;
    daily.requests.length = 0;
    expect((await listDomainRooms(client, 'acme')).rooms.size).toBe(0);
    expect(daily.requests).toHaveLength(1);
  });

  it('a 429 in the middle of the listing is retried after a back-off, and no room is lost', async () => {
    addRooms(230);
    let limited = 0;
    daily.rateLimitWhen = (path) => path.includes('starting_after') && limited++ === 0;
    const index = await listDomainRooms(client, 'acme');
    expect(index.rooms.size).toBe(230);
    const paths = daily.requests.map((r) => r.path);
    expect(paths).toHaveLength(4);
    expect(paths[1]).toBe(paths[2]);
    // 250 ms of back-off before the retry.
    expect(daily.requests[2]!.at - daily.requests[1]!.at).toBeGreaterThanOrEqual(240);
  });

  it('keeps to 20 requests per second over the pages', async () => {
    addRooms(500);
    await listDomainRooms(client, 'acme');
    const times = daily.requests.map((r) => r.at).slice(1);
    expect(times).toHaveLength(4);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(3 * 50 - 20);
  });

  it('counts the rooms Daily counts, so that rooms created during the listing show', async () => {
    addRooms(150);
    daily.rateLimitWhen = (path) => {
      if (path.includes('starting_after') && !daily.rooms.some((r) => r.name === 'late')) daily.addRoom('late');
      return false;
    };
    const index = await listDomainRooms(client, 'acme');
    expect(index.rooms.size).toBe(150);
    expect(index.rooms.has('late')).toBe(false);
    expect(index.totalCount).toBe(151);
  });
});
