import AjvModule, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { eventually } from './support/eventually.js';
import { connectShop, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { createHmac } from 'node:crypto';
import { purchaseOrder } from './support/apicbase-sender.js';
import { FakeErp } from './support/fake-erp.js';
import { bearer } from './support/test-app.js';
import { WooCommerceEmulator } from './woocommerce-emulator/emulator.js';

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

/**
 * The OpenAPI document is a promise to API clients: every answer an operation gives must match the schema it
 * documents for that status. This walks every operation once, as a client would, and checks each answer.
 */
describe('OpenAPI: every answer matches the schema documented for it', () => {
  let ctx: ShopifyTestContext;
  let doc: Document;
  const ajv = new AjvModule.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction>();
  const checked = new Set<string>();
  const problems: string[] = [];

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    doc = (await ctx.http.get('/docs/json')).body as Document;
    ajv.addSchema({ $id: 'doc', components: doc.components });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** Checks `res` against the schema of `template` (the documented path) and `method`. */
  const conforms = (method: string, template: string, res: Response): Response => {
    checked.add(`${method} ${template}`);
    const operation = doc.paths[template]?.[method];
    if (!operation) {
      problems.push(`${method.toUpperCase()} ${template} is not documented`);
      return res;
    }
    const documented = operation.responses[String(res.status)];
    if (!documented) {
      problems.push(`${method.toUpperCase()} ${template} answered ${res.status}, which it does not document`);
      return res;
    }
    if (res.status === 204) return res;
    const [type, media] = Object.entries(documented.content ?? {})[0] ?? [];
    if (!media?.schema) {
      problems.push(`${method.toUpperCase()} ${template} ${res.status} documents no response schema`);
      return res;
    }
    if (!String(res.headers['content-type']).startsWith(type)) problems.push(`${method.toUpperCase()} ${template} ${res.status} answered ${res.headers['content-type']}, documented ${type}`);
    const key = `${method} ${template} ${res.status}`;
    let validate = validators.get(key);
    if (!validate) {
      // Refs point into the document's components, registered under the id "doc".
      validate = ajv.compile(JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"doc#/components/')) as object);
      validators.set(key, validate);
    }
    const body: unknown = type === 'application/json' ? res.body : res.text;
    if (!validate(body)) problems.push(`${method.toUpperCase()} ${template} ${res.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 400)}`);
    return res;
  };

  it('walks every operation through a real session and finds no answer off its schema', async () => {
    const { http, emulator } = ctx;
    const get = async (template: string, path: string, token?: string) => conforms('get', template, await http.get(path).set(bearer(token)));
    const post = async (template: string, path: string, body?: object, token?: string) => conforms('post', template, await http.post(path).set(bearer(token)).send(body));

    await get('/health', '/health');
    await get('/health/ready', '/health/ready');
    await get('/metrics', '/metrics');
    const key = (await post('/admin/api-keys', '/admin/api-keys', { name: 'ops', role: 'operator' })).body as { id: string; key: string };
    await get('/admin/api-keys', '/admin/api-keys');

    const business = (await post('/businesses', '/businesses', { name: 'Conformance' })).body as { id: string };
    await get('/businesses/{businessId}', `/businesses/${business.id}`);
    const category = (await post('/businesses/{businessId}/categories', `/businesses/${business.id}/categories`, { name: 'Beans' })).body as { id: string };
    const product = (await post('/businesses/{businessId}/products', `/businesses/${business.id}/products`, { name: 'House blend', sku: 'A', price: '9.50', stock: 100, categoryId: category.id })).body as { id: string };
    await get('/businesses/{businessId}/products/{productId}', `/businesses/${business.id}/products/${product.id}`);
    await post('/businesses/{businessId}/products/{productId}/stock-adjustments', `/businesses/${business.id}/products/${product.id}/stock-adjustments`, { delta: 5, reason: 'recount' });

    const shop = 'conformance.myshopify.com';
    emulator.createShop(shop);
    await post('/ecommerce/connect', '/ecommerce/connect', { businessId: business.id, shop });
    const { callbackUrl } = await connectShop(ctx, business.id, shop);
    // The callback's own answer (its state is used now: a 400 in JSON, as documented).
    conforms('get', '/ecommerce/oauth/callback', await http.get(`${callbackUrl.pathname}${callbackUrl.search}`).set('accept', 'application/json'));
    await get('/ecommerce/connection', `/ecommerce/connection?businessId=${business.id}`);
    const location = emulator.shop(shop).locations.find((l) => l.isActive)!;
    conforms('patch', '/ecommerce/connection', await http.patch(`/ecommerce/connection?businessId=${business.id}`).set(bearer()).send({ locationId: String(location.id) }));

    emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 2 }, { sku: 'UNKNOWN', quantity: 1 }] });
    const orders = await eventually(async () => {
      const list = await http.get(`/ecommerce/orders?businessId=${business.id}`).set(bearer());
      expect(list.body.items).toHaveLength(1);
      return list;
    });
    conforms('get', '/ecommerce/orders', orders);
    await get('/ecommerce/orders/{id}', `/ecommerce/orders/${orders.body.items[0].id}`);
    const orderId = orders.body.items[0].id as string;
    const fulfilment = await post('/ecommerce/orders/{id}/fulfillment', `/ecommerce/orders/${orderId}/fulfillment`, { trackingNumber: 'CONF-1', lines: [{ sku: 'A', quantity: 1 }] });
    await post('/ecommerce/orders/{id}/fulfillment', `/ecommerce/orders/${orderId}/fulfillment`, { lines: [{ sku: 'A', quantity: 5 }] });
    await post('/ecommerce/orders/{id}/mark-paid', `/ecommerce/orders/${orderId}/mark-paid`, {});
    await post('/ecommerce/orders/{id}/cancel', `/ecommerce/orders/${orderId}/cancel`, { reason: 'nope', restock: true });
    await eventually(async () => expect((await http.get(`/ecommerce/orders/${orderId}`).set(bearer())).body.statusRequests.find((r: { id: string }) => r.id === fulfilment.body.requestId)?.status).toBe('done'));
    await post('/ecommerce/orders/{id}/cancel', `/ecommerce/orders/${orderId}/cancel`, { reason: 'customer', restock: true });
    await get('/ecommerce/orders/{id}', `/ecommerce/orders/${orderId}`);
    const poll = await post('/ecommerce/sync/poll', '/ecommerce/sync/poll', { businessId: business.id }, key.key);
    await eventually(async () => expect((await http.get(poll.body.statusUrl).set(bearer())).body.state).toBe('completed'));
    await get('/ecommerce/jobs/{id}', poll.body.statusUrl);
    await post('/ecommerce/sync/products', '/ecommerce/sync/products', { businessId: business.id });
    await post('/ecommerce/sync/collections', '/ecommerce/sync/collections', { businessId: business.id });
    const deliveries = await get('/ecommerce/webhooks/deliveries', `/ecommerce/webhooks/deliveries?businessId=${business.id}`);
    await post('/ecommerce/webhooks/deliveries/{id}/replay', `/ecommerce/webhooks/deliveries/${deliveries.body.items[0].id}/replay`);
    await post('/ecommerce/webhooks/deliveries/replay', '/ecommerce/webhooks/deliveries/replay', { businessId: business.id, status: 'failed' });
    await post('/ecommerce/webhooks/deliveries/replay', '/ecommerce/webhooks/deliveries/replay', { businessId: business.id, status: 'processed' });
    await get('/ecommerce/orders', `/ecommerce/orders?businessId=${business.id}&status=ingested&forwarding=none&from=2026-01-01T00:00:00Z`);
    await get('/ecommerce/activity', `/ecommerce/activity?businessId=${business.id}`);
    await get('/auth/whoami', '/auth/whoami');
    await get('/auth/whoami', '/auth/whoami', key.key);
    await get('/ecommerce/sync/logs', `/ecommerce/sync/logs?businessId=${business.id}`);
    await get('/ecommerce/status', `/ecommerce/status?businessId=${business.id}`);
    await get('/ecommerce/businesses', '/ecommerce/businesses');

    const woo = await WooCommerceEmulator.start({ deliveryDelayMs: 10 });
    try {
      const store = woo.createStore('conformance');
      const wooSource = await post('/ecommerce/sources/woocommerce', '/ecommerce/sources/woocommerce', { businessId: business.id, storeUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret });
      await post('/ecommerce/sources/{id}/poll', `/ecommerce/sources/${wooSource.body.id}/poll`, {}, key.key);
      await post('/ecommerce/sources/{id}/poll', '/ecommerce/sources/00000000-0000-4000-8000-000000000000/poll');
      const signed = await post('/ecommerce/sources/signed-webhook', '/ecommerce/sources/signed-webhook', { businessId: business.id, name: 'Apicbase', preset: 'apicbase' });
      await post('/ecommerce/sources/signed-webhook', '/ecommerce/sources/signed-webhook', { businessId: business.id, name: 'Broken' });
      await get('/ecommerce/sources', `/ecommerce/sources?businessId=${business.id}`);
      const purchase = JSON.stringify(purchaseOrder('PO-1', [{ article: 'A', quantity: 1 }]));
      const signedPost = (body: string, signature: string) => http.post(`/ecommerce/webhooks/in/${signed.body.id}`).set('content-type', 'application/json').set('x-apic-webhook-signature', signature).send(body);
      const signature = createHmac('sha256', signed.body.secret as string).update(purchase).digest('hex');
      conforms('post', '/ecommerce/webhooks/in/{sourceId}', await signedPost(purchase, signature));
      conforms('post', '/ecommerce/webhooks/in/{sourceId}', await signedPost(purchase, signature));
      conforms('post', '/ecommerce/webhooks/in/{sourceId}', await signedPost(purchase, 'ff'));
      conforms('post', '/ecommerce/webhooks/woocommerce/{sourceId}', await http.post(`/ecommerce/webhooks/woocommerce/${wooSource.body.id}`).set('content-type', 'application/x-www-form-urlencoded').send('webhook_id=1'));
      conforms('post', '/ecommerce/webhooks/woocommerce/{sourceId}', await http.post(`/ecommerce/webhooks/woocommerce/${wooSource.body.id}`).set('content-type', 'application/json').send('{}'));
      await get('/ecommerce/status', `/ecommerce/status?businessId=${business.id}`);
      conforms('delete', '/ecommerce/sources/{id}', await http.delete(`/ecommerce/sources/${signed.body.id}`).set(bearer()));
      conforms('delete', '/ecommerce/sources/{id}', await http.delete(`/ecommerce/sources/${wooSource.body.id}`).set(bearer()));
    } finally {
      await woo.stop();
    }

    const erp = await FakeErp.start();
    try {
      const created = await post('/ecommerce/forwarding/destinations', '/ecommerce/forwarding/destinations', { businessId: business.id, name: 'ERP', url: erp.url, authHeader: { name: 'X-Key', value: 'k' }, erpOrderIdPath: 'object.order_id' });
      await post('/ecommerce/forwarding/destinations', '/ecommerce/forwarding/destinations', { businessId: business.id, name: 'ERP', url: 'ftp://x' });
      await get('/ecommerce/forwarding/destinations', `/ecommerce/forwarding/destinations?businessId=${business.id}`);
      conforms('patch', '/ecommerce/forwarding/destinations/{id}', await http.patch(`/ecommerce/forwarding/destinations/${created.body.id}`).set(bearer()).send({ timeoutSeconds: 5 }));
      await post('/ecommerce/forwarding/destinations/{id}/rotate-secret', `/ecommerce/forwarding/destinations/${created.body.id}/rotate-secret`);
      emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
      const messages = await eventually(async () => {
        const page = await http.get(`/ecommerce/forwarding/messages?businessId=${business.id}`).set(bearer());
        expect(page.body.items[0]?.status).toBe('in_progress');
        return page;
      });
      conforms('get', '/ecommerce/forwarding/messages', messages);
      await get('/ecommerce/orders/{id}', `/ecommerce/orders/${messages.body.items[0].orderId}`);
      await post('/ecommerce/forwarding/messages/{id}/reprocess', `/ecommerce/forwarding/messages/${messages.body.items[0].id}/reprocess`, {});
      await post('/ecommerce/forwarding/messages/{id}/reprocess', `/ecommerce/forwarding/messages/${messages.body.items[0].id}/reprocess`, { force: true });
      await post('/ecommerce/forwarding/reprocess', '/ecommerce/forwarding/reprocess', { businessId: business.id, status: 'on_hold' });
      conforms('delete', '/ecommerce/forwarding/destinations/{id}', await http.delete(`/ecommerce/forwarding/destinations/${created.body.id}`).set(bearer()));
    } finally {
      await erp.stop();
    }

    // Error answers share one schema.
    await get('/ecommerce/orders/{id}', '/ecommerce/orders/00000000-0000-4000-8000-000000000000');
    await post('/businesses', '/businesses', {});
    await get('/ecommerce/status', `/ecommerce/status?businessId=${business.id}`, 'pk_not_a_key');

    conforms('delete', '/ecommerce/connection', await http.delete(`/ecommerce/connection?businessId=${business.id}`).set(bearer()));
    conforms('delete', '/admin/api-keys/{id}', await http.delete(`/admin/api-keys/${key.id}`).set(bearer()));

    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    expect(documented.filter((operation) => !checked.has(operation) && operation !== 'post /ecommerce/webhooks/shopify')).toEqual([]);
    expect(problems).toEqual([]);
  });
});
