// The serve line of `npm run bench`: redirects per second and p99 latency of `meeting-tokens serve`
// (SQLite store, Redis store) under autocannon, against a bare node:http server answering a fixed
// 302 (serve-ceiling.mjs), all in the same run so that the ratios hold on a shared machine. The
// load generator runs on the same cores as the server, as it would in the prototype.
// Alone: node bench/serve.mjs [--links 10000] [--seconds 10] [--connections 32]
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const KEY = 'be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000be0c0000';
const DOMAIN_ID = '9cb738e1-5a95-37f1-a517-0a18cf328a39';

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

async function seed(choice, n) {
  const { openLinkStore } = await import(pathToFileURL(join(here, '..', 'dist', 'links', 'open-store.js')).href);
  const { LinkVerifiers } = await import(pathToFileURL(join(here, '..', 'dist', 'links', 'link-id.js')).href);
  const { ChunkLinks } = await import(pathToFileURL(join(here, '..', 'dist', 'links', 'chunk-links.js')).href);
  const store = await openLinkStore(choice);
  const verifiers = new LinkVerifiers();
  const exp = Math.floor(Date.now() / 1000) + 86_400;
  const iat = exp - 86_400;
  const runId = '00000000-0000-4000-8000-00000000be0c';
  // As a run writes them: a chunk's records in columns (ChunkLinks), the ids its short URLs end in.
  const runSeq = await store.beginRun({ runId, job: 'bench', domainId: DOMAIN_ID, domainName: 'acme', mint: 'at_click', createdAt: iat });
  const ids = [];
  for (let at = 0; at < n; at += 5000) {
    const chunk = new ChunkLinks({ urlPrefix: '', runSeq, storeTokens: false });
    for (let i = at; i < Math.min(n, at + 5000); i++) {
      const claims = { r: 'standup', d: DOMAIN_ID, iat, exp, u: `Guest number ${i}`, ud: `user-${i}` };
      const verifier = verifiers.verifier();
      ids.push(chunk.url(i + 2, verifier));
      chunk.add(i + 2, verifier, 'standup', claims, null, exp, `user-${i}`, '');
    }
    await store.write(runId, [chunk.take()]);
  }
  await store.commitRun(runId);
  await store.close();
  return ids;
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts a server process; resolves with its base URL once it listens. */
async function start(args, env, portFrom) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const base = await new Promise((resolve, reject) => {
    const read = (d) => {
      text += d.toString();
      const port = portFrom(text);
      if (port) resolve(`http://127.0.0.1:${port}`);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('close', (code) => reject(new Error(`server exited ${code}: ${text}`)));
  });
  return { base, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

function load(base, ids, seconds, connections) {
  let next = 0;
  const requests = [{ setupRequest: (req) => ({ ...req, path: `/j/${ids[next++ % ids.length]}` }) }];
  return autocannon({ url: base, connections, duration: seconds, requests });
}

/** Measures the ceiling, serve on SQLite and serve on Redis; returns the report lines. */
export async function benchServe({ links = 10_000, seconds = 10, connections = 32 } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'meeting-tokens-serve-bench-'));
  const stops = [];
  try {
    const dbPath = join(work, 'links.db');
    const sqliteIds = await seed({ kind: 'sqlite', path: dbPath }, links);
    execFileSync('redis-server', ['--version'], { stdio: 'pipe' });
    const redisPort = await freePort();
    const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    stops.push(() => redis.kill('SIGTERM'));
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    let redisIds;
    for (let i = 0; i < 100 && !redisIds; i++) {
      try {
        redisIds = await seed({ kind: 'redis', url: redisUrl, variable: 'LINKS_REDIS_URL' }, links);
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const servePort = (text) => /serving links on http:\/\/[^:]+:(\d+)\//.exec(text)?.[1];
    const targets = [
      ['node:http, fixed 302 (ceiling)', [join(here, 'serve-ceiling.mjs')], {}, (text) => /^(\d+)$/m.exec(text)?.[1], sqliteIds],
      [
        'meeting-tokens serve, SQLite',
        [cli, 'serve', '--port', '0', '--links-db', dbPath, '--log-level', 'info'],
        { DAILY_API_KEY: KEY, LINKS_REDIS_URL: '', REDIS_URL: '' },
        servePort,
        sqliteIds,
      ],
      [
        'meeting-tokens serve, Redis',
        [cli, 'serve', '--port', '0', '--log-level', 'info'],
        { DAILY_API_KEY: KEY, LINKS_REDIS_URL: redisUrl },
        servePort,
        redisIds,
      ],
    ];
    const results = [];
    for (const [name, args, env, portFrom, ids] of targets) {
      const server = await start(args, env, portFrom);
      stops.push(server.stop);
      await load(server.base, ids, 2, connections); // warm-up: JIT, statement cache, connections
      const cpuBefore = cpuSeconds(server.pid);
      const r = await load(server.base, ids, seconds, connections);
      const cpu = cpuSeconds(server.pid) - cpuBefore;
      server.stop();
      if (r['3xx'] !== r.requests.total || r.errors > 0)
        throw new Error(`${name}: ${r.requests.total - r['3xx']} answers were not redirects, ${r.errors} errors`);
      results.push({ name, rate: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, perCpu: r.requests.total / cpu });
    }
    const ceiling = results[0].rate;
    const fmt = (n) => Math.round(n).toLocaleString('en');
    return [
      `| server (${connections} connections, ${seconds} s, ${fmt(links)} links) | redirects/s | p50 ms | p99 ms | of the ceiling | redirects per CPU second of the server |`,
      '|---|---:|---:|---:|---:|---:|',
      ...results.map(
        (r) => `| ${r.name} | ${fmt(r.rate)} | ${r.p50} | ${r.p99} | ${((r.rate / ceiling) * 100).toFixed(0)}% | ${fmt(r.perCpu)} |`,
      ),
    ];
  } finally {
    for (const stop of stops) stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      links: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
    },
  });
  const lines = await benchServe({ links: Number(values.links), seconds: Number(values.seconds), connections: Number(values.connections) });
  console.log(lines.join('\n'));
}
