import { createHmac } from 'node:crypto';

/**
 * Shopify's signatures, written independently of the app's verifier (src/ecommerce/shopify) so that the two
 * are each checked against Shopify's documented examples rather than against each other.
 */

/**
 * OAuth redirects: lowercase hex HMAC-SHA256 of the query without `hmac`, keys sorted, URL-encoded as a query
 * string (what `@shopify/shopify-api` verifies).
 */
export function signOAuthQuery(params: Record<string, string>, secret: string): string {
  const message = new URLSearchParams(
    Object.keys(params)
      .filter((key) => key !== 'hmac' && key !== 'signature')
      .sort()
      .map((key): [string, string] => [key, params[key]]),
  ).toString();
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** Webhooks: base64 HMAC-SHA256 of the raw body bytes. */
export function signWebhookBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}
