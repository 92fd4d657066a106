import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { createHmac } from 'node:crypto';
import { verifyOAuthQuery, verifyWebhookSignature } from '../src/ecommerce/shopify/shopify-signatures.js';
import { signOAuthQuery, signWebhookBody } from './shopify-emulator/signing.js';

/**
 * Our OAuth-callback and webhook checks must accept exactly what Shopify's official Node library
 * (`@shopify/shopify-api`) accepts, and refuse what it refuses: each case is asked of both.
 */
const SECRET = 'hush';
const shopify = shopifyApi({
  apiKey: 'parity-key',
  apiSecretKey: SECRET,
  hostName: 'app.test',
  apiVersion: ApiVersion.July26,
  isEmbeddedApp: false,
  logger: { level: LogSeverity.Error, log: () => undefined },
});

const hex = (message: string, secret = SECRET) => createHmac('sha256', secret).update(message, 'utf8').digest('hex');
const base64 = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');
const now = () => String(Math.floor(Date.now() / 1000));
/** How the library (and Shopify) write the signed message: URL-encoded, keys sorted. */
const encoded = (query: Record<string, string>) =>
  new URLSearchParams(Object.keys(query).sort((a, b) => a.localeCompare(b)).map((k): [string, string] => [k, query[k]])).toString();
/** How we used to write it: raw `k=v` pairs. */
const raw = (query: Record<string, string>) =>
  Object.keys(query).sort().map((k) => `${k}=${query[k]}`).join('&');

async function libraryAcceptsOAuth(query: Record<string, string>): Promise<boolean> {
  try {
    return await shopify.utils.validateHmac(query);
  } catch {
    return false;
  }
}

async function libraryAcceptsWebhook(body: string, hmac: string | undefined): Promise<boolean> {
  const headers: Record<string, string> = {
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'parity.myshopify.com',
    'x-shopify-api-version': '2026-07',
    'x-shopify-webhook-id': 'w-1',
  };
  if (hmac !== undefined) headers['x-shopify-hmac-sha256'] = hmac;
  const result = await shopify.webhooks.validate({ rawBody: body, rawRequest: { headers, method: 'POST', url: '/ecommerce/webhooks/shopify' }, rawResponse: {} });
  return result.valid;
}

describe('signature checks agree with @shopify/shopify-api', () => {
  const base = () => ({ code: 'c0de', shop: 'parity.myshopify.com', state: 'st4te', timestamp: now() });
  const oauthCases: Array<[string, () => Record<string, string>, boolean]> = [
    ['a plain query signed as Shopify signs it', () => ({ ...base(), hmac: hex(encoded(base())) }), true],
    ...(['a=b', 'x&y', '100%', 'two words', 'ünïcode', 'plus+sign'] as const).map((state): [string, () => Record<string, string>, boolean] => [
      `a value holding ${JSON.stringify(state)}, signed URL-encoded`,
      () => {
        const query = { ...base(), state };
        return { ...query, hmac: hex(encoded(query)) };
      },
      true,
    ]),
    ...(['a=b', 'x&y', '100%', 'two words'] as const).map((state): [string, () => Record<string, string>, boolean] => [
      `a value holding ${JSON.stringify(state)}, signed raw`,
      () => {
        const query = { ...base(), state };
        return { ...query, hmac: hex(raw(query)) };
      },
      false,
    ]),
    ['an uppercase hex hmac', () => ({ ...base(), hmac: hex(encoded(base())).toUpperCase() }), false],
    ['a truncated hmac', () => ({ ...base(), hmac: hex(encoded(base())).slice(0, 63) }), false],
    ['a parameter added after signing', () => ({ ...base(), hmac: hex(encoded(base())), host: 'aG9zdA' }), false],
    ['another secret', () => ({ ...base(), hmac: hex(encoded(base()), 'other') }), false],
    ['no hmac', () => base(), false],
  ];

  it.each(oauthCases)('OAuth callback: %s', async (_label, make, expected) => {
    const query = make();
    expect(await libraryAcceptsOAuth(query)).toBe(expected);
    expect(verifyOAuthQuery(query, SECRET)).toBe(expected);
  });

  // A body whose MAC has '+' or '/' in base64, so that base64url really differs from base64.
  const body = (() => {
    for (let i = 0; ; i++) {
      const candidate = JSON.stringify({ id: 820982911946154508n.toString(), n: i });
      if (/[+/]/.test(base64(candidate))) return candidate;
    }
  })();
  const good = base64(body);
  const webhookCases: Array<[string, string | undefined, boolean]> = [
    ['the canonical base64 MAC', good, true],
    ['padding left off', good.replace(/=+$/, ''), false],
    ['base64url', good.replace(/\+/g, '-').replace(/\//g, '_'), false],
    ['trailing bytes after the MAC', `${good}AA==`, false],
    ['a trailing newline', `${good}\n`, false],
    ['a leading space', ` ${good}`, false],
    ['the hex MAC', createHmac('sha256', SECRET).update(body).digest('hex'), false],
    ['a MAC made with another secret', base64(body, 'other'), false],
    ['an empty header', '', false],
    ['no header', undefined, false],
  ];

  it.each(webhookCases)('webhook: %s', async (_label, header, expected) => {
    expect(await libraryAcceptsWebhook(body, header)).toBe(expected);
    expect(verifyWebhookSignature(Buffer.from(body), header, SECRET)).toBe(expected);
  });

  it("signs in the emulator what the library accepts, whatever a value holds", async () => {
    const query = { ...base(), state: "a=b&c d!'()~*%" };
    const signed = { ...query, hmac: signOAuthQuery(query, SECRET) };
    expect(await libraryAcceptsOAuth(signed)).toBe(true);
    expect(await libraryAcceptsWebhook(body, signWebhookBody(body, SECRET))).toBe(true);
  });
});
