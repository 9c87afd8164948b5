import { describe, expect, it } from 'vitest';
import { jwtVerify } from 'jose';
import { createSigner } from '../../src/sign/signer.js';
import { answerLink, plausibleId, type LinkSettings } from '../../src/serve/link-answer.js';
import type { LinkLookup } from '../../src/serve/link-source.js';
import { KEY, DOMAIN_ID } from '../helpers.js';

const NOW_MS = Date.parse('2026-11-28T12:00:00Z');
const EXP = NOW_MS / 1000 + 3600;
const live: LinkLookup = {
  kind: 'live',
  link: {
    room: 'standup',
    claims: { r: 'standup', d: DOMAIN_ID, u: 'Ada', nbf: EXP - 7200, exp: EXP, iat: 1 },
    exp: EXP,
    token: 'stored.tok.en',
  },
};
const settings: LinkSettings = { sign: createSigner(KEY), domainName: 'acme', mint: 'at_click', page: 'redirect' };

describe('answer to /j/<id>', () => {
  it('GET signs a token now from the stored claims (iat now; nbf and exp as stored) and redirects 302 to the room', async () => {
    const answer = answerLink(live, 'GET', NOW_MS, settings);
    expect(answer.kind).toBe('open');
    if (answer.kind !== 'open') return;
    expect(answer.status).toBe(302);
    const url = new URL(answer.location);
    expect(`${url.origin}${url.pathname}`).toBe('https://acme.daily.co/standup');
    const { payload } = await jwtVerify(url.searchParams.get('t')!, new TextEncoder().encode(KEY), { currentDate: new Date(NOW_MS) });
    expect(payload).toEqual({ r: 'standup', d: DOMAIN_ID, u: 'Ada', nbf: EXP - 7200, exp: EXP, iat: NOW_MS / 1000 });
  });

  it('mint: stored serves the batch token; a record without one is a 500, not a token signed anyway', () => {
    const answer = answerLink(live, 'GET', NOW_MS, { ...settings, mint: 'stored' });
    expect(answer).toEqual({ kind: 'open', status: 302, location: 'https://acme.daily.co/standup?t=stored.tok.en' });
    const without: LinkLookup = { kind: 'live', link: { ...live.link, token: undefined } } as LinkLookup;
    expect(answerLink(without, 'GET', NOW_MS, { ...settings, mint: 'stored' }).kind).toBe('unsigned');
  });

  it('page: join answers the page on GET (no token in it) and opens the room on POST with 303', () => {
    const page = answerLink(live, 'GET', NOW_MS, { ...settings, page: 'join' });
    expect(page.kind).toBe('page');
    if (page.kind === 'page') {
      expect(page.html).toContain('<form method="post">');
      expect(page.html).not.toMatch(/daily\.co|\?t=/);
    }
    const post = answerLink(live, 'POST', NOW_MS, { ...settings, page: 'join' });
    expect(post.kind === 'open' && post.status).toBe(303);
  });

  it('HEAD answers 200 for a live link without signing', () => {
    let signed = 0;
    const counting = { ...settings, sign: () => String(++signed) };
    expect(answerLink(live, 'HEAD', NOW_MS, counting)).toEqual({ kind: 'alive', status: 200 });
    expect(signed).toBe(0);
  });

  it('expired from exp on (410 with the expiry time), revoked 410, missing 404', () => {
    const atExp = answerLink(live, 'GET', EXP * 1000, settings);
    expect(atExp.kind === 'gone' && atExp.reason).toBe('expired');
    if (atExp.kind === 'gone') expect(atExp.html).toContain('2026-11-28 13:00 UTC');
    expect(answerLink(live, 'GET', EXP * 1000 - 1, settings).kind).toBe('open');
    expect(answerLink({ kind: 'revoked' }, 'GET', NOW_MS, settings)).toMatchObject({ status: 410, reason: 'revoked' });
    expect(answerLink({ kind: 'missing' }, 'HEAD', NOW_MS, settings)).toMatchObject({ status: 404 });
  });

  it('only base62 ids up to 64 characters are looked up', () => {
    expect(plausibleId('4Fz9qL0aXbYcWdVeUfTgSh')).toBe(true);
    for (const bad of ['', 'a/b', 'a.b', '%2e', 'a'.repeat(65), 'ü']) expect(plausibleId(bad)).toBe(false);
  });
});
