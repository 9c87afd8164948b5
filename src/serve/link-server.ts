/**
 * The HTTP side of `serve`, on node:http: `/j/<id>` (link-answer.ts), `/healthz`, `/metrics`.
 * node:http rather than a framework: three routes, no body parsing, and the answer path is the
 * whole cost of a redirect (bench/README.md has the numbers against a bare fixed-302 server).
 *
 * Every answer carries `Cache-Control: no-store` (a cached redirect would replay a token) and
 * `Referrer-Policy: no-referrer`. Log lines name a link by the first 8 hex digits of its id's
 * SHA-256, never the id, the token or the key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { keyFingerprint } from '../sign/fingerprint.js';
import type { LinkSource } from './link-source.js';
import { isLinkId } from '../links/link-id.js';
import { answerLink, type LinkMethod, type LinkSettings } from './link-answer.js';
import { NotFoundLimit } from './not-found-limit.js';
import { OpenCounter } from './open-counter.js';
import { NOT_FOUND_PAGE, TOO_MANY_PAGE, pagePolicy } from './pages.js';
import type { ServeMetrics } from './serve-metrics.js';

export interface LinkServerOptions extends LinkSettings {
  source: LinkSource;
  log: Logger;
  metrics: ServeMetrics;
  /** 404s per address per minute before 429. */
  notFoundPerMinute: number;
  /** Take the client address from the last X-Forwarded-For entry (behind an ingress or proxy). */
  trustProxy: boolean;
  clock?: () => number;
}

const COMMON = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' } as const;
const HTML = { ...COMMON, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': pagePolicy() } as const;
const METHODS: ReadonlySet<string> = new Set<LinkMethod>(['GET', 'HEAD', 'POST']);

/** A link named in a log line: a hash prefix, never the id (it opens the meeting). */
export const linkRef = (id: string): string => keyFingerprint(id);

export interface LinkServer {
  server: Server;
  /**
   * Stops taking connections; healthz answers 503 meanwhile. Resolves when open requests are
   * answered and every open is in the store.
   */
  drain: (graceMs: number) => Promise<void>;
}

export function createLinkServer(options: LinkServerOptions): LinkServer {
  const { log, metrics, source } = options;
  const clock = options.clock ?? Date.now;
  const limit = new NotFoundLimit(options.notFoundPerMinute, 60_000);
  let draining = false;
  const opens = new OpenCounter({
    record: (counts) => source.recordOpens(counts),
    onError: (error, count, dropped) => {
      // The guests got into their meetings; only counts are late (or, past the limit, lost).
      metrics.storeErrors.inc();
      if (dropped) log.error({ err: errorName(error), opens: count }, 'could not record opens; they are lost');
      else log.warn({ err: errorName(error), opens: count }, 'could not record opens; trying again');
    },
    onRecovered: () => log.info('recording opens again'),
  });

  const clientAddress = (req: IncomingMessage): string => {
    const forwarded = options.trustProxy ? req.headers['x-forwarded-for'] : undefined;
    if (typeof forwarded === 'string' && forwarded !== '') return forwarded.slice(forwarded.lastIndexOf(',') + 1).trim();
    return req.socket.remoteAddress ?? 'unknown';
  };

  const notFound = (res: ServerResponse, address: string, now: number): void => {
    limit.count(address, now);
    metrics.notFound.inc();
    res.writeHead(404, HTML).end(NOT_FOUND_PAGE);
  };

  async function link(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (!METHODS.has(method)) {
      res.writeHead(405, { ...COMMON, allow: 'GET, HEAD, POST' }).end();
      return;
    }
    const now = clock();
    const address = clientAddress(req);
    const blocked = limit.blockedFor(address, now);
    if (blocked > 0) {
      metrics.limited.inc();
      res.writeHead(429, { ...HTML, 'retry-after': String(Math.ceil(blocked / 1000)) }).end(TOO_MANY_PAGE);
      return;
    }
    // Not an id's shape: 404 without asking the store.
    if (!isLinkId(id)) return notFound(res, address, now);
    const answer = answerLink(await source.get(id, Math.floor(now / 1000)), method as LinkMethod, now, options);
    switch (answer.kind) {
      case 'missing':
        return notFound(res, address, now);
      case 'gone':
        metrics.gone.inc({ reason: answer.reason });
        res.writeHead(410, HTML).end(answer.html);
        break;
      case 'alive':
        res.writeHead(200, HTML).end();
        break;
      case 'page':
        res.writeHead(200, { ...HTML, 'content-security-policy': pagePolicy(answer.domainName) }).end(answer.html);
        break;
      case 'unsigned':
        log.error({ link: linkRef(id) }, 'the batch says mint: stored, but the link has no stored token; answered 500');
        res.writeHead(500, HTML).end();
        break;
      case 'open':
        opens.add(id, Math.floor(now / 1000));
        metrics.opens.inc();
        res.writeHead(answer.status, { ...COMMON, location: answer.location }).end();
        break;
    }
    // The hash costs about a tenth of an answer: only when the line is written.
    if (log.isLevelEnabled('debug')) log.debug({ link: linkRef(id), method, status: answer.status }, 'link answered');
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
    if (path.startsWith('/j/')) {
      const started = performance.now();
      link(req, res, path.slice(3)).then(
        () => metrics.latency.observe((performance.now() - started) / 1000),
        (error: unknown) => {
          metrics.storeErrors.inc();
          log.error({ link: linkRef(path.slice(3)), err: errorName(error) }, 'link lookup failed; answered 503');
          if (!res.headersSent) res.writeHead(503, { ...HTML, 'retry-after': '5' }).end();
        },
      );
    } else if (path === '/healthz') {
      res.writeHead(draining ? 503 : 200, { ...COMMON, 'content-type': 'text/plain' }).end(draining ? 'draining\n' : 'ok\n');
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { ...COMMON, 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500, COMMON).end(),
      );
    } else {
      // Not a link (a browser's /favicon.ico, say): not counted against the address.
      res.writeHead(404, HTML).end(NOT_FOUND_PAGE);
    }
  });

  const drain = async (graceMs: number): Promise<void> => {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
    await opens.close();
  };
  return { server, drain };
}

/** An error's kind for a log line: its name and code, never its message (it could quote an id). */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return 'error';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}
