import { createHmac, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { once } from 'node:events';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext, API_SECRET } from './support/shopify.js';
import { eventually } from './support/eventually.js';
import { bearer } from './support/test-app.js';
import { sendWebhook } from './support/webhooks.js';

const SQL = "x'); DROP TABLE business; --";
const SCRIPT = '<script>alert(1)</script>';
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const sign = (body: string | Buffer) => createHmac('sha256', API_SECRET).update(body).digest('base64');

/**
 * A catalogue of bad requests to the webhook endpoint and the admin API. Each must get its clear 4xx (or, for
 * signed but unprocessable webhooks, the contract's 200 `{ok: false}`), never a 500; the process stays up; and
 * nothing is stored that should not be.
 */
describe('bad input', () => {
  let ctx: ShopifyTestContext;
  const shop = 'bad-input.myshopify.com';
  let businessId: string;
  let productId: string;

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx, 'Bad input');
    productId = (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'A', name: 'A', price: '1.00', stock: 10 })).body.id;
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
  });
  afterAll(() => ctx.close());

  const count = async (table: string) => (await ctx.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

  describe('the webhook endpoint', () => {
    const order = JSON.stringify({ id: 1, name: '#1', line_items: [{ id: 1, sku: 'A', quantity: 1 }], updated_at: new Date().toISOString() });

    it.each<[string, () => Promise<{ status: number; body: any }>, number, unknown, boolean]>([
      ['a signature made with another secret', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, secret: 'not-our-secret' }), 401, { message: expect.stringMatching(/does not match/) }, false],
      ['a signature that is not base64', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, headers: { 'x-shopify-hmac-sha256': '%%%not-base64%%%' } }), 401, expect.anything(), false],
      ['an empty signature', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, headers: { 'x-shopify-hmac-sha256': '' } }), 401, expect.anything(), false],
      ['no topic header', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, headers: { 'x-shopify-topic': undefined } }), 401, { message: 'Missing X-Shopify-Topic header' }, false],
      ['no shop header', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, headers: { 'x-shopify-shop-domain': undefined } }), 401, { message: 'Missing X-Shopify-Shop-Domain header' }, false],
      ['no webhook id header', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, headers: { 'x-shopify-webhook-id': undefined } }), 401, { message: 'Missing X-Shopify-Webhook-Id header' }, false],
      ['a body cut short after signing', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order.slice(0, 20), headers: { 'x-shopify-hmac-sha256': sign(order) } }), 401, expect.anything(), false],
      ['a body changed after signing', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order.replace('"quantity":1', '"quantity":99'), headers: { 'x-shopify-hmac-sha256': sign(order) } }), 401, expect.anything(), false],
      ['a 2 KB webhook id', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, webhookId: 'w'.repeat(2048) }), 401, { message: expect.stringMatching(/too long/) }, false],
      ['a body over 10 MB', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: 'x'.repeat(11 * 1024 * 1024) }), 413, expect.anything(), false],
      ['a signed body that is not JSON', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: 'hello, not json' }), 200, { ok: false, reason: 'malformed payload: not valid JSON' }, true],
      ['a signed JSON array', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: '[1,2,3]' }), 200, { ok: false, reason: 'malformed payload: not a JSON object' }, true],
      ['signed invalid UTF-8', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]) }), 200, { ok: false, reason: 'malformed payload: not valid JSON' }, true],
      ['a signed text/plain body', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: 'plain words', headers: { 'content-type': 'text/plain' } }), 200, { ok: false, reason: expect.stringMatching(/malformed/) }, true],
      ['an unknown topic', () => sendWebhook(ctx.baseUrl, { topic: 'products/delete', shop, body: order }), 200, { ok: false, reason: 'unknown topic products/delete' }, true],
      ['an unknown shop', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop: 'nobody.myshopify.com', body: order }), 200, { ok: false, reason: expect.stringMatching(/unknown shop/) }, true],
      ['a shop header that is not a shop', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop: `${SQL}.com`, body: order }), 200, { ok: false, reason: expect.stringMatching(/unknown shop/) }, true],
      ['SQL and script text in the webhook id', () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: order, webhookId: `${SQL}${SCRIPT}` }), 200, { ok: true }, true],
    ])('%s', async (_name, send, status, body, stored) => {
      const before = await count('ecommerce_webhook_delivery');
      const answer = await send();
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject(body as object);
      expect(await count('ecommerce_webhook_delivery')).toBe(before + (stored ? 1 : 0));
    });

    it('stores SQL text verbatim, as data', async () => {
      const rows = await ctx.db.query('SELECT webhook_id FROM ecommerce_webhook_delivery WHERE webhook_id = $1', [`${SQL}${SCRIPT}`]);
      expect(rows.rowCount).toBe(1);
      expect(await count('business')).toBeGreaterThan(0);
    });

    it('a deeply nested signed JSON order is stored, then fails as malformed with a reason, without crashing anything', async () => {
      const webhookId = randomUUID();
      const answer = await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: nested(50_000), webhookId });
      expect(answer.status).toBe(200);
      await eventually(async () => {
        const rows = await ctx.db.query('SELECT status, last_error FROM ecommerce_webhook_delivery WHERE webhook_id = $1', [webhookId]);
        expect(rows.rows[0]).toMatchObject({ status: 'failed', last_error: expect.any(String) });
      });
    });

    it('a client that hangs up halfway through the body: nothing stored, the endpoint still answers', async () => {
      const before = await count('ecommerce_webhook_delivery');
      const url = new URL(ctx.baseUrl);
      const socket = connect(Number(url.port), url.hostname);
      await once(socket, 'connect');
      socket.write(
        'POST /ecommerce/webhooks/shopify HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n' +
          `x-shopify-topic: orders/create\r\nx-shopify-shop-domain: ${shop}\r\nx-shopify-webhook-id: ${randomUUID()}\r\nx-shopify-hmac-sha256: ${sign(order)}\r\n\r\n{"id":`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await count('ecommerce_webhook_delivery')).toBe(before);
      expect((await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: '[]' })).status).toBe(200);
    });
  });

  describe('the admin API', () => {
    const json = (path: string, method: 'post' | 'get' | 'delete' = 'post') => ctx.http[method](path).set(bearer());

    it.each<[string, () => PromiseLike<{ status: number; body: any }>, number, RegExp]>([
      ['malformed JSON', () => json('/businesses').set('content-type', 'application/json').send('{"name": "x"'), 400, /JSON/i],
      ['a JSON string instead of an object', () => json('/businesses').set('content-type', 'application/json').send('"name"'), 400, /./],
      ['a wrong content type', () => json('/businesses').set('content-type', 'text/plain').send('name=x'), 400, /name/],
      ['a form-encoded body', () => json('/businesses').type('form').send({ name: 'x', extra: 'y' }), 400, /extra/],
      ['a missing field', () => json('/businesses').send({}), 400, /name/],
      ['a wrong type', () => json('/businesses').send({ name: 42 }), 400, /name/],
      ['an unknown field', () => json('/businesses').send({ name: 'x', admin: true }), 400, /admin/],
      ['deeply nested JSON', () => json('/businesses').set('content-type', 'application/json').send(`{"name":"x","deep":${nested(5000)}}`), 400, /nested deeper than 32 levels/],
      ['a body over the JSON limit', () => json('/businesses').send({ name: 'x'.repeat(2 * 1024 * 1024) }), 413, /large/i],
      ['a name too long', () => json('/businesses').send({ name: 'x'.repeat(201) }), 400, /name/],
      ['invalid UTF-8 in JSON', () => json('/businesses').set('content-type', 'application/json').send(Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0xff, 0x7d])), 400, /./],
      ['a negative stock', () => json(`/businesses/${businessId}/products`).send({ sku: 'N', name: 'N', price: '1.00', stock: -1 }), 400, /stock/],
      ['a huge stock', () => json(`/businesses/${businessId}/products`).send({ sku: 'H', name: 'H', price: '1.00', stock: 1e20 }), 400, /stock/],
      ['a fractional stock', () => json(`/businesses/${businessId}/products`).send({ sku: 'F', name: 'F', price: '1.00', stock: 1.5 }), 400, /stock/],
      ['a stock given as a string', () => json(`/businesses/${businessId}/products`).send({ sku: 'S', name: 'S', price: '1.00', stock: '5' }), 400, /stock/],
      ['a negative price', () => json(`/businesses/${businessId}/products`).send({ sku: 'P', name: 'P', price: '-1.00', stock: 1 }), 400, /price/],
      ['a price as a number', () => json(`/businesses/${businessId}/products`).send({ sku: 'P', name: 'P', price: 1.5, stock: 1 }), 400, /price/],
      ['a price with SQL', () => json(`/businesses/${businessId}/products`).send({ sku: 'P', name: 'P', price: SQL, stock: 1 }), 400, /price/],
      ['a category id that is not a UUID', () => json(`/businesses/${businessId}/products`).send({ sku: 'C', name: 'C', price: '1.00', stock: 1, categoryId: SQL }), 400, /categoryId/],
      ['an unknown category', () => json(`/businesses/${businessId}/products`).send({ sku: 'C', name: 'C', price: '1.00', stock: 1, categoryId: randomUUID() }), 422, /ategory/],
      ['a zero adjustment', () => json(`/businesses/${businessId}/products/${productId}/stock-adjustments`).send({ delta: 0, reason: 'x' }), 400, /delta/],
      ['a huge adjustment', () => json(`/businesses/${businessId}/products/${productId}/stock-adjustments`).send({ delta: -1e15, reason: 'x' }), 400, /delta/],
      ['an adjustment below zero stock', () => json(`/businesses/${businessId}/products/${productId}/stock-adjustments`).send({ delta: -1000, reason: 'x' }), 409, /negative/],
      ['an adjustment without a reason', () => json(`/businesses/${businessId}/products/${productId}/stock-adjustments`).send({ delta: 1 }), 400, /reason/],
      ['a product id with SQL', () => json(`/businesses/${businessId}/products/${encodeURIComponent(SQL)}`, 'get'), 400, /UUID|uuid/],
      ['a business id with SQL', () => json(`/ecommerce/orders?businessId=${encodeURIComponent(SQL)}`, 'get'), 400, /businessId/],
      ['a shop that is not a myshopify domain', () => json('/ecommerce/connect').send({ businessId, shop: `${SCRIPT}.myshopify.com` }), 400, /shop/],
      ['a poll for an unknown business', () => json('/ecommerce/sync/poll').send({ businessId: randomUUID() }), 404, /./],
      ['a page size of 0', () => json(`/ecommerce/orders?businessId=${businessId}&limit=0`, 'get'), 400, /limit/],
      ['a page size of 201', () => json(`/ecommerce/sync/logs?limit=201`, 'get'), 400, /limit/],
      ['a forged cursor', () => json(`/ecommerce/sync/logs?cursor=${encodeURIComponent(SQL)}`, 'get'), 400, /cursor/],
      ['an unknown sync type', () => json(`/ecommerce/sync/logs?type=${encodeURIComponent(SCRIPT)}`, 'get'), 400, /type/],
      ['a date that is not a date', () => json('/ecommerce/sync/logs?from=yesterday', 'get'), 400, /from/],
      ['an unknown delivery status', () => json('/ecommerce/webhooks/deliveries?status=lost', 'get'), 400, /status/],
      ['an API key with an unknown role', () => json('/admin/api-keys').send({ name: 'k', role: 'root' }), 400, /role/],
      ['a WooCommerce store URL that is not http(s)', () => json('/ecommerce/sources/woocommerce').send({ businessId, storeUrl: `javascript:${SCRIPT}`, consumerKey: 'ck', consumerSecret: 'cs' }), 400, /storeUrl/],
      ['a WooCommerce source without keys', () => json('/ecommerce/sources/woocommerce').send({ businessId, storeUrl: 'https://shop.example.com' }), 400, /consumerKey/],
      ['a WooCommerce store that does not answer', () => json('/ecommerce/sources/woocommerce').send({ businessId, storeUrl: 'http://127.0.0.1:9', consumerKey: 'ck', consumerSecret: 'cs' }), 502, /could not be reached/],
      ['a WooCommerce source for an unknown business', () => json('/ecommerce/sources/woocommerce').send({ businessId: randomUUID(), storeUrl: 'https://shop.example.com', consumerKey: 'ck', consumerSecret: 'cs' }), 404, /not found/],
      ['a signed-webhook source with an unknown algorithm', () => json('/ecommerce/sources/signed-webhook').send({ businessId, name: 'x', signature: { header: 'X-Sig', algorithm: 'md5', encoding: 'hex' }, mapping: { orderId: 'id', orderNumber: 'n', lines: 'l', sku: 's', quantity: 'q' } }), 400, /signature.algorithm/],
      ['a signed-webhook source with a header name holding SQL', () => json('/ecommerce/sources/signed-webhook').send({ businessId, name: 'x', preset: 'apicbase', signature: { header: SQL, algorithm: 'sha256', encoding: 'hex' } }), 400, /signature.header/],
      ['a signed-webhook source with an empty path', () => json('/ecommerce/sources/signed-webhook').send({ businessId, name: 'x', preset: 'apicbase', mapping: { orderId: 'id', orderNumber: 'n', lines: '', sku: 's', quantity: 'q' } }), 400, /mapping.lines/],
      ['a signed-webhook source without a mapping', () => json('/ecommerce/sources/signed-webhook').send({ businessId, name: 'x', signature: { header: 'X-Sig', algorithm: 'sha256', encoding: 'hex' } }), 400, /mapping is required/],
      ['sources of a business id with SQL', () => json(`/ecommerce/sources?businessId=${encodeURIComponent(SQL)}`, 'get'), 400, /businessId/],
      ['deleting a source that does not exist', () => json(`/ecommerce/sources/${randomUUID()}`, 'delete'), 404, /not found/],
      ['polling a source that does not exist', () => json(`/ecommerce/sources/${randomUUID()}/poll`), 404, /not found/],
      ['an ERP destination that is not http(s)', () => json('/ecommerce/forwarding/destinations').send({ businessId, name: 'ERP', url: `javascript:${SCRIPT}` }), 400, /url/],
      ['an ERP destination with a header name holding SQL', () => json('/ecommerce/forwarding/destinations').send({ businessId, name: 'ERP', url: 'https://erp.example.com', authHeader: { name: SQL, value: 'x' } }), 400, /authHeader.name/],
      ['an ERP destination timeout of 61 s', () => json('/ecommerce/forwarding/destinations').send({ businessId, name: 'ERP', url: 'https://erp.example.com', timeoutSeconds: 61 }), 400, /timeoutSeconds/],
      ['an ERP destination for an unknown business', () => json('/ecommerce/forwarding/destinations').send({ businessId: randomUUID(), name: 'ERP', url: 'https://erp.example.com' }), 404, /not found/],
      ['changing an unknown ERP destination', () => ctx.http.patch(`/ecommerce/forwarding/destinations/${randomUUID()}`).set(bearer()).send({ enabled: false }), 404, /not found/],
      ['reprocessing an unknown message', () => json(`/ecommerce/forwarding/messages/${randomUUID()}/reprocess`).send({}), 404, /not found/],
      ['a bulk reprocess of delivered messages', () => json('/ecommerce/forwarding/reprocess').send({ businessId, status: 'in_progress' }), 400, /status must be on_hold/],
      ['forwarding messages with an unknown status', () => json(`/ecommerce/forwarding/messages?businessId=${businessId}&status=lost`, 'get'), 400, /status/],
      ['forwarding messages with a forged cursor', () => json(`/ecommerce/forwarding/messages?businessId=${businessId}&cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', SQL])).toString('base64url')}`, 'get'), 400, /cursor/],
      ['a status action on an order id with SQL', () => json(`/ecommerce/orders/${encodeURIComponent(SQL)}/mark-paid`).send({}), 400, /UUID|uuid/],
      ['cancelling an unknown order', () => json(`/ecommerce/orders/${randomUUID()}/cancel`).send({ reason: 'customer', restock: true }), 404, /not found/],
      ['a cancel reason that is not one of the six', () => json(`/ecommerce/orders/${randomUUID()}/cancel`).send({ reason: SQL, restock: true }), 400, /reason must be one of/],
      ['a cancel restock given as a string', () => json(`/ecommerce/orders/${randomUUID()}/cancel`).send({ reason: 'staff', restock: 'yes' }), 400, /restock/],
      ['a staff note over 255 characters', () => json(`/ecommerce/orders/${randomUUID()}/cancel`).send({ reason: 'staff', restock: true, staffNote: 'x'.repeat(256) }), 400, /staffNote/],
      ['a tracking URL that is not http(s)', () => json(`/ecommerce/orders/${randomUUID()}/fulfillment`).send({ trackingNumber: '1', trackingUrl: `javascript:${SCRIPT}` }), 400, /trackingUrl/],
      ['a fulfilment line with neither sku nor productId', () => json(`/ecommerce/orders/${randomUUID()}/fulfillment`).send({ lines: [{ quantity: 1 }] }), 400, /sku or a productId/],
      ['a fulfilment of an empty list of lines', () => json(`/ecommerce/orders/${randomUUID()}/fulfillment`).send({ lines: [] }), 400, /lines/],
      ['mark-paid with a body', () => json(`/ecommerce/orders/${randomUUID()}/mark-paid`).send({ amount: '1.00' }), 400, /mark-paid takes no body: remove amount/],
      ['an Idempotency-Key of 300 characters', () => json(`/ecommerce/orders/${randomUUID()}/mark-paid`).set('idempotency-key', 'k'.repeat(300)).send({}), 400, /Idempotency-Key/],
      ['no token', () => ctx.http.get('/ecommerce/sync/logs'), 401, /./],
      ['a wrong token', () => ctx.http.get('/ecommerce/sync/logs').set(bearer('x'.repeat(40))), 401, /./],
      ['a token with SQL', () => ctx.http.get('/ecommerce/sync/logs').set(bearer(SQL)), 401, /./],
    ])('%s', async (_name, send, status, message) => {
      const before = { businesses: await count('business'), products: await count('product'), movements: await count('stock_movement'), keys: await count('api_key'), sources: await count('ecommerce_source'), destinations: await count('ecommerce_forwarding_destination'), requests: await count('ecommerce_status_request') };
      const res = await send();
      expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { message: expect.anything() } });
      expect(JSON.stringify(res.body.message)).toMatch(message);
      expect({ businesses: await count('business'), products: await count('product'), movements: await count('stock_movement'), keys: await count('api_key'), sources: await count('ecommerce_source'), destinations: await count('ecommerce_forwarding_destination'), requests: await count('ecommerce_status_request') }).toEqual(before);
    });

    it('keeps SQL and script text in string fields as plain data', async () => {
      const res = await json('/businesses').send({ name: `${SQL} ${SCRIPT}` });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const stored = await ctx.db.query('SELECT name FROM business WHERE id = $1', [res.body.id]);
      expect(stored.rows[0].name).toBe(`${SQL} ${SCRIPT}`);
      const product = await json(`/businesses/${res.body.id}/products`).send({ sku: SQL.slice(0, 50), name: SCRIPT, price: '0.99', stock: 0 });
      expect(product.status).toBe(201);
      expect(product.body).toMatchObject({ sku: SQL.slice(0, 50), name: SCRIPT });
    });

    it('the process is still up and healthy after all of it', async () => {
      expect((await ctx.http.get('/health')).status).toBe(200);
    });
  });
});
