import { createHmac } from 'node:crypto';

/**
 * Shopify's signatures, written independently of the app's verifier (src/ecommerce/shopify) so that the two
 * are each checked against Shopify's documented examples rather than against each other.
 */

/** OAuth redirects: hex HMAC-SHA256 of `k=v` pairs sorted by key and joined with `&`, `hmac` left out. */
export function signOAuthQuery(params: Record<string, string>, secret: string): string {
  const message = Object.keys(params)
    .filter((key) => key !== 'hmac' && key !== 'signature')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** Webhooks: base64 HMAC-SHA256 of the raw body bytes. */
export function signWebhookBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}
