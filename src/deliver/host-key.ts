/**
 * SSH host key pinning: a `SHA256:` fingerprint, or a known_hosts file (plain, wildcard and
 * hashed host names; `@revoked` refuses). Never trust on first use: a host with no pinned key is
 * refused like one whose key differs.
 */
import { createHash, createHmac } from 'node:crypto';

export function sha256Fingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

function hostPatternMatches(pattern: string, names: readonly string[]): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return names.some((name) => createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash);
  }
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return names.some((name) => regex.test(name));
}

function lineMatchesHost(hosts: string, names: readonly string[]): boolean {
  const patterns = hosts.split(',');
  if (patterns.some((p) => p.startsWith('!') && hostPatternMatches(p.slice(1), names))) return false;
  return patterns.some((p) => !p.startsWith('!') && hostPatternMatches(p, names));
}

/** Why `key` is refused for `host:port` by a known_hosts text, or undefined when it is pinned there. */
export function knownHostsRefusal(text: string, host: string, port: number, key: Buffer): string | undefined {
  const names = port === 22 ? [host] : [`[${host}]:${port}`];
  const blob = key.toString('base64');
  let listed = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
    const [hosts, , keyText] = fields;
    if (hosts === undefined || keyText === undefined || marker === '@cert-authority' || !lineMatchesHost(hosts, names)) continue;
    if (marker === '@revoked') {
      if (keyText === blob) return `its host key ${sha256Fingerprint(key)} is revoked in known_hosts`;
      continue;
    }
    listed = true;
    if (keyText === blob) return undefined;
  }
  return listed
    ? `its host key ${sha256Fingerprint(key)} is not the one known_hosts pins for ${names[0]}`
    : `known_hosts has no key for ${names[0]} (its host key is ${sha256Fingerprint(key)}; a key is never trusted on first use)`;
}
