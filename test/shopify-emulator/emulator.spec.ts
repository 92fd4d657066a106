import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShopifyEmulator } from './emulator.js';
import { signOAuthQuery, signWebhookBody } from './signing.js';

const SHOP = 'emu-test.myshopify.com';
const secret = 'emulator-secret';

async function oauthToken(emulator: ShopifyEmulator, expiring = false) {
  const authorize = await fetch(
    `${emulator.baseUrl}/${SHOP}/admin/oauth/authorize?client_id=key&scope=read_orders&redirect_uri=${encodeURIComponent('http://app.test/cb')}&state=s1`,
    { redirect: 'manual' },
  );
  const location = new URL(authorize.headers.get('location')!);
  const code = location.searchParams.get('code')!;
  const response = await fetch(`${emulator.baseUrl}/${SHOP}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'key', client_secret: secret, code, ...(expiring ? { expiring: '1' } : {}) }),
  });
  return { location, code, response, body: (await response.json()) as Record<string, string | number> };
}

async function gql(emulator: ShopifyEmulator, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${emulator.baseUrl}/${SHOP}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('Shopify emulator', () => {
  let emulator: ShopifyEmulator;
  beforeEach(async () => {
    emulator = await ShopifyEmulator.start({ apiKey: 'key', apiSecret: secret, bucketSize: 100, restoreRate: 50 });
    emulator.createShop(SHOP);
  });
  afterEach(() => emulator.stop());

  it('redirects with a correctly signed query and exchanges a code once', async () => {
    const { location, code, body, response } = await oauthToken(emulator);
    expect(location.origin + location.pathname).toBe('http://app.test/cb');
    const params = Object.fromEntries(location.searchParams);
    expect(Object.keys(params).sort()).toEqual(['code', 'hmac', 'host', 'shop', 'state', 'timestamp']);
    expect(params.hmac).toBe(signOAuthQuery(params, secret));
    expect(response.status).toBe(200);
    expect(body.access_token).toMatch(/^shpat_/);

    const again = await fetch(`${emulator.baseUrl}/${SHOP}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'key', client_secret: secret, code }),
    });
    expect(again.status).toBe(400);
  });

  it('issues expiring tokens with a refresh token that can be used once', async () => {
    const { body } = await oauthToken(emulator, true);
    expect(body).toMatchObject({ expires_in: 3600, refresh_token: expect.stringMatching(/^shprt_/) });
    const refresh = (rt: unknown) =>
      fetch(`${emulator.baseUrl}/${SHOP}/admin/oauth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'key', client_secret: secret, grant_type: 'refresh_token', refresh_token: String(rt) }).toString(),
      });
    const first = await refresh(body.refresh_token);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { access_token: string }).access_token).not.toBe(body.access_token);
    expect((await refresh(body.refresh_token)).status).toBe(400);
  });

  it('answers GraphQL with cost extensions, and THROTTLED (HTTP 200) when the bucket is empty', async () => {
    const { body } = await oauthToken(emulator);
    const token = String(body.access_token);
    const shop = await gql(emulator, token, '{ shop { name myshopifyDomain } }');
    expect(shop.status).toBe(200);
    expect(shop.body.data.shop).toEqual({ name: 'emu-test', myshopifyDomain: SHOP });
    expect(shop.body.extensions.cost).toMatchObject({ requestedQueryCost: 1, throttleStatus: { maximumAvailable: 100, restoreRate: 50 } });

    // 2 + 20 * (1 node) = 22 points each, really returned: the bucket of 100 allows four at once.
    for (let i = 0; i < 20; i++) emulator.createOrder(SHOP, { lineItems: [{ sku: 'A', quantity: 1 }] });
    const query = '{ orders(first: 20) { nodes { id name } } }';
    const answers = await Promise.all(Array.from({ length: 6 }, () => gql(emulator, token, query)));
    const throttled = answers.filter((a) => a.body.errors?.[0]?.extensions?.code === 'THROTTLED');
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled.every((a) => a.status === 200)).toBe(true);

    const tooBig = await gql(emulator, token, '{ webhookSubscriptions(first: 200) { nodes { id } } }');
    expect(tooBig.body.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
  });

  it('refunds the difference between the requested and the actual cost', async () => {
    const { body } = await oauthToken(emulator);
    emulator.createOrder(SHOP, { lineItems: [{ sku: 'A', quantity: 1 }] });
    const res = await gql(emulator, String(body.access_token), '{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { sku } } } } }');
    // requested: 2 + 10 * (1 + 2 + 5); actual: 2 + 1 order * (1 + 2 + 1 line)
    expect(res.body.extensions.cost).toMatchObject({ requestedQueryCost: 82, actualQueryCost: 6 });
  });

  it("refuses what Shopify's schema refuses: unknown or deprecated fields, and variables that do not coerce", async () => {
    const token = String((await oauthToken(emulator)).body.access_token);
    const deprecated = await gql(emulator, token, 'mutation { collectionAddProducts(id: "gid://shopify/Collection/1", productIds: []) { userErrors { message } } }');
    expect(deprecated.body).toEqual({ errors: [expect.objectContaining({ message: expect.stringMatching(/deprecated/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })] });
    const unknown = await gql(emulator, token, '{ shop { name planName } }');
    expect(unknown.body.errors[0].message).toMatch(/planName/);
    const badVariable = await gql(emulator, token, 'query L($n: Int!) { locations(first: $n) { nodes { id } } }', { n: 'ten' });
    expect(badVariable.body.data).toBeUndefined();
    expect(badVariable.body.errors[0]).toMatchObject({ message: expect.stringMatching(/\$n/), extensions: { code: 'INVALID_VARIABLE' } });
    const primary = await gql(emulator, token, '{ location { id name } locations(first: 5) { nodes { name } } }');
    expect(primary.body.data.location).toEqual({ id: 'gid://shopify/Location/1', name: 'Main warehouse' });
    expect(primary.body.data.locations.nodes[0].name).not.toBe('Main warehouse');
  });

  it('refuses GraphQL without a valid token', async () => {
    const res = await gql(emulator, 'nope', '{ shop { name } }');
    expect(res.status).toBe(401);
  });

  it('injects 429 with Retry-After, 5xx, for the next N calls only', async () => {
    const { body } = await oauthToken(emulator);
    emulator.injectFault({ target: 'graphql', kind: 'status', status: 429, retryAfterSeconds: 2, count: 1 });
    emulator.injectFault({ target: 'graphql', kind: 'status', status: 503, count: 1 });
    const url = `${emulator.baseUrl}/${SHOP}/admin/api/2026-10/graphql.json`;
    const call = () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': String(body.access_token) }, body: JSON.stringify({ query: '{ shop { name } }' }) });
    const first = await call();
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await call()).status).toBe(503);
    expect((await call()).status).toBe(200);
  });

  describe('webhooks', () => {
    let receiver: Server;
    let received: Array<{ headers: IncomingMessage['headers']; body: string }>;
    let answer: () => number;

    beforeEach(async () => {
      received = [];
      answer = () => 200;
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(answer()).end();
        });
      }).listen(0, '127.0.0.1');
      await once(receiver, 'listening');
    });
    afterEach(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    const subscribe = async (topic: string) => {
      const { body } = await oauthToken(emulator);
      const uri = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const created = await gql(
        emulator,
        String(body.access_token),
        'mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) { webhookSubscription { id uri } userErrors { message } } }',
        { topic, sub: { uri, format: 'JSON' } },
      );
      return created.body.data.webhookSubscriptionCreate;
    };

    it('delivers signed webhooks with Shopify headers to subscriptions', async () => {
      expect((await subscribe('ORDERS_CREATE')).userErrors).toEqual([]);
      expect((await subscribe('ORDERS_CREATE')).userErrors[0].message).toMatch(/already been taken/);
      const order = emulator.createOrder(SHOP, { lineItems: [{ sku: 'A', quantity: 2 }] });
      await emulator.webhooks.idle();
      expect(received).toHaveLength(1);
      const [delivery] = received;
      expect(delivery.headers).toMatchObject({
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-api-version': '2026-10',
        'x-shopify-hmac-sha256': signWebhookBody(delivery.body, secret),
      });
      expect(delivery.headers['x-shopify-webhook-id']).toBeTruthy();
      expect(delivery.headers['x-shopify-event-id']).toBeTruthy();
      expect(delivery.headers['x-shopify-triggered-at']).toBeTruthy();
      expect(JSON.parse(delivery.body)).toMatchObject({ admin_graphql_api_id: `gid://shopify/Order/${order.id}`, line_items: [{ sku: 'A', quantity: 2 }] });
      expect(delivery.body).toContain(`"id":${order.id},`);
    });

    it('retries a delivery that got no 2xx, keeping its webhook id', async () => {
      await subscribe('ORDERS_CREATE');
      emulator.setWebhookBehaviour({ retryScheduleMs: [20, 20, 20] });
      let calls = 0;
      answer = () => (++calls < 3 ? 503 : 200);
      emulator.createOrder(SHOP, { lineItems: [{ sku: 'A', quantity: 1 }] });
      await emulator.webhooks.idle();
      expect(received).toHaveLength(3);
      expect(new Set(received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(1);
      expect(emulator.webhooks.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    });

    it('duplicates and drops deliveries on request', async () => {
      await subscribe('ORDERS_CREATE');
      emulator.setWebhookBehaviour({ duplicates: 2, duplicatesKeepWebhookId: false });
      emulator.createOrder(SHOP, { lineItems: [{ sku: 'A', quantity: 1 }] });
      await emulator.webhooks.idle();
      expect(received).toHaveLength(3);
      expect(new Set(received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(3);

      emulator.setWebhookBehaviour({ duplicates: 0, dropNext: 1 });
      emulator.createOrder(SHOP, { lineItems: [{ sku: 'A', quantity: 1 }] });
      await emulator.webhooks.idle();
      expect(received).toHaveLength(3);
      expect(emulator.webhooks.deliveries.at(-1)?.status).toBe('dropped');
    });
  });

  it('pages orders updated since a time, sorted by updated_at', async () => {
    const { body } = await oauthToken(emulator);
    for (let i = 0; i < 5; i++) emulator.createOrder(SHOP, { lineItems: [{ sku: `S${i}`, quantity: 1 }], at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
    const query = `query($q: String, $after: String) { orders(first: 2, after: $after, sortKey: UPDATED_AT, query: $q) { nodes { name updatedAt lineItems(first: 5) { nodes { sku quantity } } } pageInfo { hasNextPage endCursor } } }`;
    const first = await gql(emulator, String(body.access_token), query, { q: "updated_at:>='2026-01-01T00:02:00Z'" });
    expect(first.body.data.orders.nodes.map((o: { lineItems: { nodes: Array<{ sku: string }> } }) => o.lineItems.nodes[0].sku)).toEqual(['S2', 'S3']);
    expect(first.body.data.orders.pageInfo.hasNextPage).toBe(true);
    const second = await gql(emulator, String(body.access_token), query, { q: "updated_at:>='2026-01-01T00:02:00Z'", after: first.body.data.orders.pageInfo.endCursor });
    expect(second.body.data.orders.nodes).toHaveLength(1);
    expect(second.body.data.orders.pageInfo.hasNextPage).toBe(false);
  });
});
