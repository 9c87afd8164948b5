/**
 * The answer to one `/j/<id>` request, decided from the link's record and the clock: pure apart
 * from the signer, so every rule is testable without a socket.
 */
import type { Sign } from '../sign/signer.js';
import type { LinkLookup } from './link-source.js';
import { expiredPage, joinPage, NOT_FOUND_PAGE, REVOKED_PAGE } from './pages.js';

/** `at_click`: a token signed now from the stored claims; `stored`: the token the batch signed. */
export type MintMode = 'at_click' | 'stored';
/** `redirect`: GET goes straight to the room; `join`: GET shows a page whose button does. */
export type PageMode = 'redirect' | 'join';

export interface LinkSettings {
  sign: Sign;
  domainName: string;
  mint: MintMode;
  page: PageMode;
}

export type LinkAnswer =
  | { kind: 'open'; status: 302 | 303; location: string }
  | { kind: 'page'; status: 200; html: string }
  | { kind: 'alive'; status: 200 }
  | { kind: 'gone'; status: 410; reason: 'expired' | 'revoked'; html: string }
  | { kind: 'missing'; status: 404; html: string }
  | { kind: 'unsigned'; status: 500 };

/** GET and HEAD look; POST is the join page's button. */
export type LinkMethod = 'GET' | 'HEAD' | 'POST';

const ID = /^[0-9A-Za-z]{1,64}$/;

/** Whether `id` can be a link id at all (an id of another shape is answered 404 without a lookup). */
export function plausibleId(id: string): boolean {
  return ID.test(id);
}

export function answerLink(found: LinkLookup, method: LinkMethod, nowMs: number, settings: LinkSettings): LinkAnswer {
  if (found.kind === 'missing') return { kind: 'missing', status: 404, html: NOT_FOUND_PAGE };
  if (found.kind === 'revoked') return { kind: 'gone', status: 410, reason: 'revoked', html: REVOKED_PAGE };
  const { link } = found;
  if (nowMs >= link.exp * 1000) return { kind: 'gone', status: 410, reason: 'expired', html: expiredPage(link.exp) };
  // HEAD never signs and never counts: a link checker learns that the link is alive, nothing more.
  if (method === 'HEAD') return { kind: 'alive', status: 200 };
  if (method === 'GET' && settings.page === 'join') return { kind: 'page', status: 200, html: joinPage(link.room) };
  let token: string | undefined;
  if (settings.mint === 'stored') token = link.token;
  else token = settings.sign({ ...link.claims, iat: Math.floor(nowMs / 1000) });
  if (token === undefined) return { kind: 'unsigned', status: 500 };
  const location = `https://${settings.domainName}.daily.co/${encodeURIComponent(link.room)}?t=${token}`;
  // After the button's POST, 303 makes the browser GET the room.
  return { kind: 'open', status: method === 'POST' ? 303 : 302, location };
}
