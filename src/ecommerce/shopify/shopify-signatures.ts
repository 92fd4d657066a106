import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The message Shopify signs on an OAuth redirect: the query without `hmac` (and `signature`), keys sorted,
 * written as a URL-encoded query string. `@shopify/shopify-api` builds it with URLSearchParams, so a value
 * holding `=`, `&`, `%` or a space is signed encoded, not raw.
 */
export function oauthQueryMessage(query: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query)
    .filter((k) => k !== 'hmac' && k !== 'signature')
    .sort((a, b) => a.localeCompare(b))) {
    params.append(key, query[key]);
  }
  return params.toString();
}

/** Equal strings, compared in constant time once their lengths match. */
function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The hmac must be exactly the lowercase hex digest, as Shopify sends it and its library compares it. */
export function verifyOAuthQuery(query: Record<string, string>, secret: string): boolean {
  const given = query.hmac;
  if (!given || !/^[0-9a-f]{64}$/.test(given)) return false;
  return sameText(given, createHmac('sha256', secret).update(oauthQueryMessage(query), 'utf8').digest('hex'));
}

/**
 * Shopify's webhook signature: base64 HMAC-SHA256 of the raw body bytes. The header must be exactly the
 * canonical base64 of the 32-byte MAC (no missing padding, no base64url, nothing trailing): decoding it
 * leniently would accept headers that Shopify's own library refuses.
 */
export function verifyWebhookSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  return sameText(header, createHmac('sha256', secret).update(rawBody).digest('base64'));
}
