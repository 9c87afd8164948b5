/** The base URL of short links, checked once: `<base_url>/j/<id>` must be a plain, CSV-safe URL. */

/** `base` without its trailing slashes, or the reason it cannot be a short links' base. */
export function checkBaseUrl(base: string): { url: string } | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    return { problem: `"${base.slice(0, 80)}" is not a URL; give one such as https://join.example.com` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { problem: `must be an http(s) URL, not ${parsed.protocol}` };
  if (parsed.username !== '' || parsed.password !== '') return { problem: 'must not carry a user name or password' };
  if (parsed.search !== '' || parsed.hash !== '') return { problem: 'must have no ?query or #fragment (the link is <base_url>/j/<id>)' };
  // As written (less its trailing slashes), so a mailer's link is the URL the job gave; nothing
  // in it may need CSV quoting or break a mail line.
  const url = base.replace(/\/+$/, '');
  if (/[\s",;<>`'\\]/.test(url) || /[^\x21-\x7e]/.test(url))
    return { problem: 'must be written in plain ASCII without spaces, quotes, commas or semicolons' };
  return { url };
}
