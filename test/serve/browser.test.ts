import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { LinkStore } from '../../src/links/link-store.js';
import { openLinkStore } from '../../src/links/open-store.js';
import { KEY, tempDir } from '../helpers.js';
import { seedLinks, startServe, type RunningServe } from './serve-fixture.js';

// Debian's chromium (.ci/run installs it), driven by playwright-core without a browser download.
// Every request is held in the browser before it is sent (the DevTools protocol's Fetch domain,
// not Playwright's route(), which does not see the request a redirect leads to): the loopback
// server's go through, the room at Daily is answered with a page of our own, anything else is
// refused. Nothing leaves the machine, not even a DNS lookup.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let store: LinkStore;
let server: RunningServe;
let browser: BrowserContext;
const nowS = (): number => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const dir = tempDir('mt-browser-');
  const dbPath = join(dir, 'links.db');
  store = await openLinkStore({ kind: 'sqlite', path: dbPath });
  server = await startServe(['--links-db', dbPath, '--page', 'join']);
  // A fresh profile each time (launchPersistentContext passes it as --user-data-dir); headless.
  browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: FLAGS });
}, 60_000);

const ROOM_PAGE = Buffer.from('<title>room</title><h1>In the room</h1>').toString('base64');

/** A page whose every request is held before it is sent; returns the URLs of Daily rooms it asked for. */
async function openPage(): Promise<{ page: Page; rooms: string[] }> {
  const page = await browser.newPage();
  const rooms: string[] = [];
  const loopback = new URL(server.base).host;
  const cdp = await browser.newCDPSession(page);
  cdp.on('Fetch.requestPaused', (event) => {
    const { requestId } = event;
    const url = new URL(event.request.url);
    if (url.host === loopback) void cdp.send('Fetch.continueRequest', { requestId });
    else if (url.host === 'acme.daily.co') {
      rooms.push(event.request.url);
      const responseHeaders = [{ name: 'content-type', value: 'text/html' }];
      void cdp.send('Fetch.fulfillRequest', { requestId, responseCode: 200, responseHeaders, body: ROOM_PAGE });
    } else void cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  return { page, rooms };
}
afterAll(async () => {
  await browser?.close();
  expect(await server?.stop()).toBe(0);
  await store?.close();
});

describe('a short link in a real browser (headless Chromium)', () => {
  it('shows the join page; its button leads to https://acme.daily.co/<room>?t=<a token signed with the key>', async () => {
    const { runId, ids } = await seedLinks(store, [{ exp: nowS() + 3600, room: 'all-hands' }]);
    const { page, rooms } = await openPage();
    const answer = await page.goto(`${server.base}/j/${ids[0]}`);
    expect(answer?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe('Join the meeting');
    expect((await store.runStats(runId))?.opens).toBe(0);

    await Promise.all([page.waitForURL(/^https:\/\/acme\.daily\.co\//), page.click('#join')]);
    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}`).toBe('https://acme.daily.co/all-hands');
    const { payload } = await jwtVerify(landed.searchParams.get('t')!, new TextEncoder().encode(KEY));
    expect(payload).toMatchObject({ r: 'all-hands', d: expect.any(String) });
    expect(await page.textContent('h1')).toBe('In the room');
    expect(rooms[0]).toBe(page.url()); // then the room page's favicon
    expect((await store.runStats(runId))?.opens).toBe(1);
  }, 60_000);

  it('renders the expired page with the expiry time', async () => {
    const exp = nowS() - 3600;
    const { ids } = await seedLinks(store, [{ exp }]);
    const { page } = await openPage();
    const answer = await page.goto(`${server.base}/j/${ids[0]}`);
    expect(answer?.status()).toBe(410);
    expect(await page.textContent('h1')).toBe('This link has expired');
    expect(await page.getAttribute('time', 'datetime')).toBe(new Date(exp * 1000).toISOString());
    expect(await page.textContent('time')).toBe(`${new Date(exp * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  }, 60_000);
});
