import { describe, expect, it } from 'vitest';
import { jwtVerify } from 'jose';
import { createSigner } from '../../src/sign/signer.js';
import { answerLink, type LinkSettings } from '../../src/serve/link-answer.js';
import type { ServedLink, ServedLookup } from '../../src/serve/link-source.js';
import { KEY, DOMAIN_ID } from '../helpers.js';

const NOW_MS = Date.parse('2026-11-28T12:00:00Z');
const EXP = NOW_MS / 1000 + 3600;
const link: ServedLink = {
  room: 'standup',
  claims: { r: 'standup', d: DOMAIN_ID, u: 'Ada', nbf: EXP - 7200, exp: EXP, iat: 1 },
  exp: EXP,
  token: 'stored.tok.en',
  run: { domainName: 'acme', mint: 'at_click' },
};
const live: ServedLookup = { status: 'live', link };
const stored = (token: string | null): ServedLookup => ({
  status: 'live',
  link: { ...link, token, run: { domainName: 'acme', mint: 'stored' } },
});
const settings: LinkSettings = { sign: createSigner(KEY), page: 'redirect' };

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

  it('a batch with mint: stored gets its own token; a record without one is a 500, not a token signed anyway', () => {
    expect(answerLink(stored('stored.tok.en'), 'GET', NOW_MS, settings)).toEqual({
      kind: 'open',
      status: 302,
      location: 'https://acme.daily.co/standup?t=stored.tok.en',
    });
    expect(answerLink(stored(null), 'GET', NOW_MS, settings).kind).toBe('unsigned');
  });

  it('--domain-name overrides the batch domain', () => {
    const answer = answerLink(live, 'GET', NOW_MS, { ...settings, domainName: 'renamed' });
    expect(answer.kind === 'open' && answer.location).toMatch(/^https:\/\/renamed\.daily\.co\/standup\?t=/);
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

  it('expired: 410 with the expiry time; revoked 410; unknown 404', () => {
    const expired = answerLink({ status: 'expired', exp: EXP }, 'GET', EXP * 1000, settings);
    expect(expired.kind === 'gone' && expired.reason).toBe('expired');
    if (expired.kind === 'gone') expect(expired.html).toContain('2026-11-28 13:00 UTC');
    expect(answerLink({ status: 'revoked' }, 'GET', NOW_MS, settings)).toMatchObject({ status: 410, reason: 'revoked' });
    expect(answerLink({ status: 'unknown' }, 'HEAD', NOW_MS, settings)).toMatchObject({ status: 404 });
  });
});
