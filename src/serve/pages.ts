/**
 * The small HTML pages `serve` answers: the join page (a button, so that a link scanner that
 * fetches the URL opens nothing) and the pages for expired, revoked and unknown links. No
 * script, no external resource; the content security policy allows none.
 */

/**
 * The content security policy of a page: inline style only, never framed; the join page's form
 * may post back here and follow the redirect to the room at Daily, other pages have no form.
 */
export function pagePolicy(formDomainName?: string): string {
  const form = formDomainName === undefined ? "'none'" : `'self' https://${formDomainName}.daily.co`;
  return `default-src 'none'; style-src 'unsafe-inline'; form-action ${form}; frame-ancestors 'none'; base-uri 'none'`;
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1b1b1b}' +
  'button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:.4rem;background:#1b5cff;color:#fff;cursor:pointer}';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`
  );
}

/**
 * The join page: the button posts back to the same URL, which signs the token and redirects to
 * the room. The page itself carries no token.
 */
export function joinPage(room: string): string {
  return page(
    `Join ${room}`,
    `<h1>Join the meeting</h1><p>Room <strong>${escapeHtml(room)}</strong></p>` +
      `<form method="post"><button type="submit" id="join">Join the meeting</button></form>`,
  );
}

/** Unix seconds as `2026-12-01 09:00 UTC`. */
export function utcTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function expiredPage(exp: number): string {
  const iso = new Date(exp * 1000).toISOString();
  return page(
    'Link expired',
    `<h1>This link has expired</h1><p>It was valid until <time datetime="${iso}">${utcTime(exp)}</time>. ` +
      'Ask the organiser for a new one.</p>',
  );
}

export const REVOKED_PAGE = page('Link withdrawn', '<h1>This link has been withdrawn</h1><p>Ask the organiser for a new one.</p>');
export const NOT_FOUND_PAGE = page('Link not found', '<h1>No such link</h1><p>Check that the whole link was copied.</p>');
export const TOO_MANY_PAGE = page('Too many requests', '<h1>Too many unknown links</h1><p>Wait a minute, then try again.</p>');
