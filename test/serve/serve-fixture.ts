/**
 * `meeting-tokens serve` as a user runs it (the built CLI, a real store), for the tests: links
 * written to the store as a run writes them, a server started and stopped by signal, requests
 * over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { LinkRun, LinkStore } from '../../src/links/link-store.js';
import { CLI, DOMAIN_ID, KEY } from '../helpers.js';
import { linkRows } from '../links/new-links.js';

let runs = 0;

export interface SeedLink {
  room?: string;
  user?: string;
  exp: number;
  nbf?: number;
  token?: string;
}

/** Writes a committed batch of links (as a run does); returns the run id and the links' ids, in order. */
export async function seedLinks(
  store: LinkStore,
  links: SeedLink[],
  over: Partial<LinkRun> = {},
): Promise<{ runId: string; ids: string[] }> {
  const run: LinkRun = {
    runId: `00000000-0000-4000-9000-${String(++runs).padStart(12, '0')}`,
    job: 'serve-test',
    domainId: DOMAIN_ID,
    domainName: 'acme',
    mint: 'at_click',
    createdAt: Math.floor(Date.now() / 1000) - 60,
    ...over,
  };
  const seq = await store.beginRun(run);
  const { batch, made } = linkRows(
    run,
    seq,
    links.map((link, i) => ({
      line: i + 2,
      room: link.room ?? 'standup',
      nbf: link.nbf ?? null,
      exp: link.exp,
      userId: `u${i}`,
      ...(link.token !== undefined ? { token: link.token } : {}),
      extra: { u: link.user ?? `Guest ${i}` },
    })),
  );
  await store.write(run.runId, [batch]);
  await store.commitRun(run.runId);
  return { runId: run.runId, ids: made.map((m) => m.id) };
}

export interface RunningServe {
  child: ChildProcess;
  base: string;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts `serve` on a free port (--port 0) and resolves once it says where it listens. */
export async function startServe(args: string[], env: Record<string, string | undefined> = {}): Promise<RunningServe> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DAILY_API_KEY: KEY, LINKS_REDIS_URL: undefined, REDIS_URL: undefined, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exit = once(child, 'close').then(([code]) => code as number | null);
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const at = /serving links on (http:\/\/[^/]+)\/j\//.exec(stderr);
      if (at) resolve(at[1]!);
    });
    void exit.then((code) => reject(new Error(`serve exited ${code} before listening: ${stderr}`)));
  });
  return {
    child,
    base,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

/** A request that does not follow redirects. */
export function request(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', ...init });
}
