/**
 * Standard Webhooks signing (standardwebhooks.com): the receiver recomputes
 * HMAC-SHA256(key, `${id}.${timestamp}.${body}`) and compares it with `webhook-signature`.
 */
import { createHmac, randomUUID } from 'node:crypto';

/** `webhook-signature`'s value for one attempt: `v1,<base64 HMAC-SHA256>`. */
export function webhookSignature(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** One message's id, the same on every retry so that a receiver can drop a repeat. */
export function messageId(): string {
  return `msg_${randomUUID()}`;
}

/** The three headers of one attempt; the timestamp is the attempt's own (receivers refuse old ones). */
export function webhookHeaders(key: Buffer, id: string, body: string, now: number = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(key, id, timestamp, body),
  };
}
