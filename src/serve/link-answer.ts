/**
 * The answer to one `/j/<id>` request, decided from the link's record and the clock: pure apart
 * from the signer, so every rule is testable without a socket.
 */
import type { Sign } from '../sign/signer.js';
import type { ServedLookup } from './link-source.js';
import { expiredPage, joinPage, NOT_FOUND_PAGE, REVOKED_PAGE } from './pages.js';

/** `redirect`: GET goes straight to the room; `join`: GET shows a page whose button does. */
export type PageMode = 'redirect' | 'join';

export interface LinkSettings {
  sign: Sign;
  page: PageMode;
  /** Links lead to this Daily subdomain instead of their batch's (a domain renamed since). */
  domainName?: string | undefined;
}

export type LinkAnswer =
  | { kind: 'open'; status: 302 | 303; location: string }
  | { kind: 'page'; status: 200; html: string; domainName: string }
  | { kind: 'alive'; status: 200 }
  | { kind: 'gone'; status: 410; reason: 'expired' | 'revoked'; html: string }
  | { kind: 'missing'; status: 404; html: string }
  | { kind: 'unsigned'; status: 500 };

/** GET and HEAD look; POST is the join page's button. */
export type LinkMethod = 'GET' | 'HEAD' | 'POST';

/** The answer to `method` on a link the store found as `found` (looked up at `nowMs`). */
export function answerLink(found: ServedLookup, method: LinkMethod, nowMs: number, settings: LinkSettings): LinkAnswer {
  if (found.status === 'unknown') return { kind: 'missing', status: 404, html: NOT_FOUND_PAGE };
  if (found.status === 'revoked') return { kind: 'gone', status: 410, reason: 'revoked', html: REVOKED_PAGE };
  if (found.status === 'expired') return { kind: 'gone', status: 410, reason: 'expired', html: expiredPage(found.exp) };
  const { link } = found;
  const domainName = settings.domainName ?? link.run.domainName;
  // HEAD never signs and never counts: a link checker learns that the link is alive, nothing more.
  if (method === 'HEAD') return { kind: 'alive', status: 200 };
  if (method === 'GET' && settings.page === 'join') return { kind: 'page', status: 200, html: joinPage(link.room), domainName };
  const token = link.run.mint === 'stored' ? link.token : settings.sign({ ...link.claims, iat: Math.floor(nowMs / 1000) });
  if (token === null) return { kind: 'unsigned', status: 500 };
  const location = `https://${domainName}.daily.co/${encodeURIComponent(link.room)}?t=${token}`;
  // After the button's POST, 303 makes the browser GET the room.
  return { kind: 'open', status: method === 'POST' ? 303 : 302, location };
}
