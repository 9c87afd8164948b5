/**
 * The Daily REST endpoints this tool uses: `GET /` (the domain's id and name),
 * `GET /meeting-tokens/:token` (does Daily accept this token?), `GET /rooms` (one page of the
 * domain's rooms) and `POST /batch/rooms` (create rooms, all or none). Every request carries a timeout,
 * keeps under Daily's rate limit (20 requests/s), and retries 429 and 5xx answers with
 * exponential back-off. The key travels only in the Authorization header; no message or log
 * line carries it or a token.
 */
import { MeetingTokensError } from '../errors.js';
import { UUID } from '../config/job-schema.js';
import { plural } from '../plural.js';
import { BATCH_ROOMS_LIMIT, ROOMS_PAGE_LIMIT, type ListedRoom, type NewRoom, type RoomsPage } from './room-types.js';

export const DEFAULT_API_URL = 'https://api.daily.co/v1';
/** Daily: 20 requests per second for most endpoints. */
const MIN_INTERVAL_MS = 50;
const MAX_ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 250;

export interface DailyClientOptions {
  apiKey: string;
  baseUrl?: string | undefined;
  timeoutMs?: number | undefined;
}

export interface DomainInfo {
  domainId: string;
  domainName: string;
}

export type TokenCheck =
  { accepted: true; properties: Record<string, unknown> } | { accepted: false; status: number; error: string; info: string };

interface Answer {
  status: number;
  body: unknown;
}

export class DailyClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private nextSlot = 0;

  constructor(private readonly options: DailyClientOptions) {
    // fetch refuses such a header with a TypeError, which would read as "cannot reach Daily".
    if (!/^[\x21-\x7e]+$/.test(options.apiKey)) {
      throw new MeetingTokensError(
        'KEY_INVALID',
        'the API key has characters that are not printable ASCII, which an HTTP header cannot carry and no Daily key has; check DAILY_API_KEY',
      );
    }
    this.baseUrl = (options.baseUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async getDomain(): Promise<DomainInfo> {
    const { status, body } = await this.request('/', 'GET /');
    if (status !== 200) throw this.unexpected('GET /', status, body);
    const data = body as { domain_id?: unknown; domain_name?: unknown; config?: { domain_id?: unknown; domain_name?: unknown } };
    const domainId = data?.config?.domain_id ?? data?.domain_id;
    const domainName = data?.domain_name ?? data?.config?.domain_name;
    if (typeof domainId !== 'string' || !UUID.test(domainId) || typeof domainName !== 'string' || domainName === '') {
      throw new MeetingTokensError('DAILY_BAD_ANSWER', `Daily API: GET / answered without a domain_id and domain_name (${this.baseUrl})`);
    }
    return { domainId, domainName };
  }

  async checkToken(token: string, ignoreNbf: boolean): Promise<TokenCheck> {
    const path = `/meeting-tokens/${encodeURIComponent(token)}${ignoreNbf ? '?ignoreNbf=true' : ''}`;
    const { status, body } = await this.request(path, 'GET /meeting-tokens/:token');
    if (status === 200) {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw this.unexpected('GET /meeting-tokens/:token', status, body);
      return { accepted: true, properties: body as Record<string, unknown> };
    }
    if (status >= 400 && status < 500) {
      const { error, info } = errorFields(body);
      return { accepted: false, status, error, info };
    }
    throw this.unexpected('GET /meeting-tokens/:token', status, body);
  }

  /** One page of the domain's rooms, the page after room `startingAfter` (its id) when given. */
  async listRoomsPage(startingAfter?: string): Promise<RoomsPage> {
    const query = `?limit=${ROOMS_PAGE_LIMIT}${startingAfter !== undefined ? `&starting_after=${encodeURIComponent(startingAfter)}` : ''}`;
    const { status, body } = await this.request(`/rooms${query}`, 'GET /rooms');
    const page = body as { total_count?: unknown; data?: unknown } | undefined;
    if (status !== 200 || typeof page?.total_count !== 'number' || !Array.isArray(page.data)) {
      throw this.unexpected('GET /rooms', status, body);
    }
    for (const room of page.data as Partial<ListedRoom>[]) {
      if (typeof room?.name !== 'string' || typeof room.id !== 'string') throw this.unexpected('GET /rooms', status, body);
    }
    return { totalCount: page.total_count, rooms: page.data as ListedRoom[] };
  }

  /** Creates up to `BATCH_ROOMS_LIMIT` rooms in one call; Daily creates all of them or none. */
  async createRooms(rooms: readonly NewRoom[]): Promise<void> {
    if (rooms.length > BATCH_ROOMS_LIMIT) throw new RangeError(`at most ${BATCH_ROOMS_LIMIT} rooms per call`);
    const { status, body } = await this.request('/batch/rooms', 'POST /batch/rooms', JSON.stringify({ rooms }));
    if (status === 200) return;
    const { error, info } = errorFields(body);
    throw new MeetingTokensError(
      'DAILY_BAD_ANSWER',
      `Daily API: POST /batch/rooms refused ${plural(rooms.length, 'room')} (${status} ${error}${info ? `: ${info}` : ''}); none of them was created`,
    );
  }

  /** One request with rate limiting, timeout and retries; `label` names it in messages; a payload makes it a POST. */
  private async request(path: string, label: string, payload?: string): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      await this.waitForSlot();
      let response: Response;
      try {
        response = await fetch(this.baseUrl + path, {
          method: payload === undefined ? 'GET' : 'POST',
          headers: {
            Authorization: `Bearer ${this.options.apiKey}`,
            Accept: 'application/json',
            ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(payload !== undefined ? { body: payload } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        throw this.networkError(label, error);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw this.networkError(label, error);
      }
      const status = response.status;
      if (status === 401 || status === 403) {
        const { error } = errorFields(parseJson(text));
        throw new MeetingTokensError('DAILY_AUTH', `Daily API: the API key was refused (${status} ${error}); check DAILY_API_KEY`);
      }
      if ((status === 429 || status >= 500) && attempt < MAX_ATTEMPTS) {
        await sleep(backoffMs(attempt, response.headers.get('retry-after')));
        continue;
      }
      if (status === 429) {
        throw new MeetingTokensError(
          'DAILY_UNREACHABLE',
          `Daily API: ${label} still rate-limited (429) after ${MAX_ATTEMPTS} attempts; try again later`,
        );
      }
      const body = parseJson(text);
      if (body === undefined && status === 200) {
        throw new MeetingTokensError('DAILY_BAD_ANSWER', `Daily API: ${label} answered ${status} with a body that is not JSON`);
      }
      return { status, body };
    }
  }

  /** Spaces requests at least MIN_INTERVAL_MS apart (20/s), across concurrent callers. */
  private async waitForSlot(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + MIN_INTERVAL_MS;
    if (slot > now) await sleep(slot - now);
  }

  private networkError(label: string, error: unknown): MeetingTokensError {
    const e = error as { name?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return new MeetingTokensError(
        'DAILY_UNREACHABLE',
        `Daily API: ${label} got no answer within ${this.timeoutMs / 1000}s (${hostOf(this.baseUrl)})`,
      );
    }
    const code = e.cause?.code ?? e.cause?.message ?? e.name ?? 'network error';
    return new MeetingTokensError('DAILY_UNREACHABLE', `Daily API: cannot reach ${hostOf(this.baseUrl)} (${code})`);
  }

  private unexpected(label: string, status: number, body: unknown): MeetingTokensError {
    const { error } = errorFields(body);
    return new MeetingTokensError(
      'DAILY_BAD_ANSWER',
      `Daily API: ${label} answered ${status}${error !== 'unknown' ? ` ${error}` : ''}, not what this tool expects`,
    );
  }
}

/** Daily's error body is `{ "error": "<type>", "info": "<text>" }`. */
function errorFields(body: unknown): { error: string; info: string } {
  const b = body as { error?: unknown; info?: unknown } | undefined;
  return {
    error: typeof b?.error === 'string' ? b.error : 'unknown',
    info: typeof b?.info === 'string' ? b.info.slice(0, 200) : '',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After (seconds) when Daily sends it, else 250 ms doubling per attempt, capped at 8 s. */
function backoffMs(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter !== null ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  return Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), 8_000);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Client settings from the environment: DAILY_API_URL, DAILY_API_TIMEOUT_MS. */
export function clientFromEnv(env: NodeJS.ProcessEnv, apiKey: string): DailyClient {
  const timeout = Number(env['DAILY_API_TIMEOUT_MS']);
  return new DailyClient({
    apiKey,
    baseUrl: env['DAILY_API_URL'] || undefined,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
  });
}
