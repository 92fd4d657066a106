import { randomUUID } from 'node:crypto';
import { signWebhookBody } from '../shopify-emulator/signing.js';
import { API_SECRET } from './shopify.js';

export interface SignedWebhook {
  topic: string;
  shop: string;
  body: string | Buffer;
  webhookId?: string;
  secret?: string;
  headers?: Record<string, string | undefined>;
}

/** Sends a webhook to the app as Shopify would, signed with the app secret unless told otherwise. */
export async function sendWebhook(baseUrl: string, hook: SignedWebhook): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': hook.topic,
    'x-shopify-shop-domain': hook.shop,
    'x-shopify-webhook-id': hook.webhookId ?? randomUUID(),
    'x-shopify-hmac-sha256': signWebhookBody(hook.body, hook.secret ?? API_SECRET),
    'x-shopify-api-version': '2026-10',
  };
  for (const [name, value] of Object.entries(hook.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const response = await fetch(`${baseUrl}/ecommerce/webhooks/shopify`, { method: 'POST', headers, body: hook.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // leave as text
  }
  return { status: response.status, body };
}
