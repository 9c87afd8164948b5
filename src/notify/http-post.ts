/**
 * One HTTP POST with a time limit, for notifications: its outcome as a status or one line that
 * never names the URL (its path, query or user part may be a credential).
 */

export type PostOutcome = { status: number } | { problem: string };

/** fetch refuses a URL with a user part: it travels as Basic authorization instead. */
function withoutUserPart(text: string): { url: string; authorization: string | undefined } {
  const url = new URL(text);
  if (url.username === '' && url.password === '') return { url: text, authorization: undefined };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

export async function post(target: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostOutcome> {
  const { url, authorization } = withoutUserPart(target);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { ...headers, ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  } catch (error) {
    return { problem: describe(error, timeoutMs) };
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const name = (error as Error).name;
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return `cannot connect (${cause.code})`;
  return `request failed (${name})`;
}
