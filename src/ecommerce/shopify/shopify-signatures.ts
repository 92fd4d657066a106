import { createHmac, timingSafeEqual } from 'node:crypto';

/** Shopify's OAuth redirect signature: hex HMAC-SHA256 over `k=v` pairs sorted by key, `hmac` excluded. */
export function oauthQueryMessage(query: Record<string, string>): string {
  return Object.keys(query)
    .filter((key) => key !== 'hmac' && key !== 'signature')
    .sort()
    .map((key) => `${key}=${query[key]}`)
    .join('&');
}

export function verifyOAuthQuery(query: Record<string, string>, secret: string): boolean {
  const given = query.hmac;
  if (!given || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = createHmac('sha256', secret).update(oauthQueryMessage(query), 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body bytes, compared in constant time. */
export function verifyWebhookSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const given = Buffer.from(header, 'base64');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
