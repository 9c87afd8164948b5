/**
 * One summary to one webhook: signed the Standard Webhooks way, retried with exponential back-off
 * on no answer, 408, 429 and 5xx, every attempt within its own time limit and all of them within
 * one deadline, so a receiver that never answers costs a run a bounded time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebhookTarget } from '../config/notify-settings.js';
import { post } from './http-post.js';
import { messageId, webhookHeaders } from './standard-webhooks.js';

export interface NotifyLimits {
  /** Attempts at most, the first included. */
  attempts: number;
  /** Each attempt's time limit. */
  attemptMs: number;
  /** Epoch milliseconds by which every attempt and wait has ended. */
  deadline: number;
  /** The first wait between attempts; each later one doubles. */
  backoffMs: number;
}

export interface WebhookDelivery {
  label: string;
  /** The message id every attempt carried. */
  id: string;
  ok: boolean;
  attempts: number;
  /** The last answer's status, if there was one. */
  status: number | undefined;
  /** Why the last attempt failed (one line, no URL), for a failed delivery. */
  problem: string | undefined;
}

/** Statuses worth another attempt: the receiver may answer otherwise later. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export async function deliverWebhook(target: WebhookTarget, body: string, limits: NotifyLimits): Promise<WebhookDelivery> {
  const id = messageId();
  let status: number | undefined;
  let problem: string | undefined;
  let attempts = 0;
  while (attempts < limits.attempts) {
    const left = limits.deadline - Date.now();
    if (left <= 0) break;
    attempts += 1;
    const headers = { 'content-type': 'application/json', 'user-agent': 'meeting-tokens', ...webhookHeaders(target.key, id, body) };
    const outcome = await post(target.url, body, headers, Math.min(limits.attemptMs, left));
    if ('status' in outcome) {
      status = outcome.status;
      if (status >= 200 && status < 300) return { label: target.label, id, ok: true, attempts, status, problem: undefined };
      problem = `answered ${status}`;
      if (!retryable(status)) break;
    } else {
      status = undefined;
      problem = outcome.problem;
    }
    // A wait that would end past the deadline leaves no attempt after it: give up now.
    const wait = limits.backoffMs * 2 ** (attempts - 1);
    if (attempts >= limits.attempts || Date.now() + wait >= limits.deadline) break;
    await sleep(wait);
  }
  return { label: target.label, id, ok: false, attempts, status, problem: problem ?? 'no time left for an attempt' };
}
