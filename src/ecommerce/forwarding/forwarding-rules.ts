import { createHmac, randomBytes } from 'node:crypto';
import { valueAt } from '../signed-webhook/order-mapping.js';

/** Waits after the 1st..5th failed send: six sends in all (the first and five retries), then on hold. */
export const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
export const MAX_SENDS = RETRY_DELAYS_MS.length + 1;
export const EXCERPT_BYTES = 4096;

export type Verdict =
  | { kind: 'success' }
  /** 3xx, 4xx other than 408/429: retrying will not help. */
  | { kind: 'permanent'; reason: string }
  /** 410: permanent, and the destination says it is gone. */
  | { kind: 'gone'; reason: string }
  /** 408, 429, 5xx, timeout, connection error: try again, after Retry-After if the answer gave one. */
  | { kind: 'retry'; reason: string; afterMs: number | null };

/** The answer rules of an ERP send (Standard Webhooks' recommendations, and the EvolutionX app's on-hold rule). */
export function classify(outcome: { status: number; retryAfterMs: number | null } | { error: string; timedOut: boolean }): Verdict {
  if ('error' in outcome) return { kind: 'retry', reason: outcome.timedOut ? `no answer within the timeout (${outcome.error}); the ERP may have the order: the retry has the same webhook-id` : outcome.error, afterMs: null };
  const { status } = outcome;
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 410) return { kind: 'gone', reason: 'HTTP 410 Gone: the destination says it no longer exists' };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', reason: `HTTP ${status}`, afterMs: status === 429 ? outcome.retryAfterMs : null };
  return { kind: 'permanent', reason: `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}` };
}

/** How long to wait before the next send after `sends` sends failed, or null when the message goes on hold. */
export function nextDelayMs(sends: number, retryAfterMs: number | null, timeScale: number): number | null {
  if (sends >= MAX_SENDS) return null;
  const planned = RETRY_DELAYS_MS[sends - 1] ?? RETRY_DELAYS_MS.at(-1)!;
  return Math.round(Math.max(planned, retryAfterMs ?? 0) * timeScale);
}

/** A signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the base64-decoded part of the secret after `whsec_`. */
export function standardSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** A value the ERP's JSON answer holds at a dot-path (`object.order_id`), as text; null when absent. */
export function answerValue(body: string, path: string | null): string | null {
  if (!path) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const value = valueAt(json, path);
  if (typeof value === 'string' && value.trim() !== '') return value.slice(0, 500);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function excerpt(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  return bytes.length <= EXCERPT_BYTES ? body : `${bytes.subarray(0, EXCERPT_BYTES).toString('utf8')}…`;
}

/** Request headers as an attempt row keeps them: the auth header's value and the signature replaced. */
export function redactedHeaders(headers: Record<string, string>, authHeaderName: string | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, (authHeaderName && name.toLowerCase() === authHeaderName.toLowerCase()) || name === 'webhook-signature' ? '[redacted]' : value]),
  );
}

/** The order a message body names (its number and the source's id), for logs and e-mails. */
export function orderOfBody(body: string): { number: string; externalId: string | null } {
  try {
    const order = (JSON.parse(body) as { order?: { number?: string; externalId?: string } }).order;
    return { number: order?.number ?? '?', externalId: order?.externalId ?? null };
  } catch {
    return { number: '?', externalId: null };
  }
}
