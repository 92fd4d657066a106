import { randomUUID } from 'node:crypto';
import { OrderIngestionService } from '../src/ecommerce/orders/order-ingestion.service.js';
import { orderPayload } from './shopify-emulator/emulator.js';
import { shopifyJson } from './shopify-emulator/state.js';
import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { sendWebhook } from './support/webhooks.js';

/** What the support console needed from the API, usable by anyone: who am I, order filters, bulk replay, activity per hour. */
describe('the API behind the support console', () => {
  let ctx: ShopifyTestContext;
  let businessId: string;
  let supportKey: string;
  const shop = 'console-api.myshopify.com';

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx, 'Console API');
    await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'A', name: 'A', price: '1.00', stock: 100 });
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    supportKey = (await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'desk', role: 'support' })).body.key as string;
  });
  afterAll(() => ctx.close());

  it('tells a token its role', async () => {
    expect((await ctx.http.get('/auth/whoami').set(bearer(supportKey))).body).toEqual({ role: 'support', id: expect.any(String) });
    expect((await ctx.http.get('/auth/whoami').set(bearer())).body).toEqual({ role: 'admin', id: 'admin-token' });
    expect((await ctx.http.get('/auth/whoami')).status).toBe(401);
  });

  it('lists every business with a source, one without Shopify too, each with its verdict', async () => {
    const other = await createBusiness(ctx, 'Only Apicbase');
    await ctx.http.post('/ecommerce/sources/signed-webhook').set(bearer()).send({ businessId: other, name: 'Apicbase', preset: 'apicbase' });
    await createBusiness(ctx, 'No source at all');
    const page = (await ctx.http.get('/ecommerce/businesses').set(bearer(supportKey))).body;
    expect(page.items.map((b: { name: string }) => b.name)).toEqual(expect.arrayContaining(['Console API', 'Only Apicbase']));
    expect(page.items.map((b: { name: string }) => b.name)).not.toContain('No source at all');
    expect(page.items.find((b: { id: string }) => b.id === other)).toMatchObject({ sources: [{ kind: 'signed_webhook', shop: 'Apicbase', status: 'active' }], health: 'green' });
    expect(page.items.find((b: { id: string }) => b.id === businessId).sources[0]).toMatchObject({ kind: 'shopify', shop });
    const one = (await ctx.http.get(`/ecommerce/businesses?shop=${shop}`).set(bearer())).body;
    expect(one.items.map((b: { id: string }) => b.id)).toEqual([businessId]);
  });

  it('filters orders by status, source, date and forwarding state, and counts the last 24 hours per hour', async () => {
    const kept = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    const cancelled = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 2 }] });
    ctx.emulator.updateOrder(shop, cancelled.id, { cancel: true, restock: true });
    await ctx.emulator.webhooks.idle();
    const list = (query: string) => eventually(async () => (await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&${query}`).set(bearer(supportKey))).body.items.map((o: { orderNumber: string }) => o.orderNumber));
    await eventually(async () => expect(await list('status=cancelled')).toEqual([cancelled.name]));
    expect(await list('status=ingested')).toEqual([kept.name]);
    const sourceId = (await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer())).body;
    expect(sourceId.shop).toBe(shop);
    const connectionId = (await ctx.db.query('SELECT id FROM ecommerce_connection WHERE business_id = $1', [businessId])).rows[0].id as string;
    expect((await list(`sourceId=${connectionId}`)).sort()).toEqual([kept.name, cancelled.name].sort());
    expect(await list(`sourceId=${randomUUID()}`)).toEqual([]);
    expect(await list(`from=${new Date(Date.now() + 3_600_000).toISOString()}`)).toEqual([]);
    expect((await list('forwarding=none')).sort()).toEqual([kept.name, cancelled.name].sort());
    expect(await list('forwarding=on_hold')).toEqual([]);
    expect((await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&forwarding=lost`).set(bearer())).status).toBe(400);

    const activity = (await ctx.http.get(`/ecommerce/activity?businessId=${businessId}`).set(bearer(supportKey))).body;
    expect(activity.hours).toHaveLength(24);
    const now = activity.hours.at(-1);
    expect(now.orders).toBe(2);
    expect(now.deliveries).toBeGreaterThanOrEqual(4);
    expect(activity.hours.slice(0, -1).every((h: { orders: number }) => h.orders === 0)).toBe(true);
    expect((await ctx.http.get(`/ecommerce/activity?businessId=${randomUUID()}`).set(bearer())).status).toBe(404);
  });

  it('replays every failed delivery of a business at once, each ingested once; support may not', async () => {
    const ingestion = ctx.app.get(OrderIngestionService, { strict: false });
    ingestion.beforeCommit = () => {
      throw new Error('database trouble');
    };
    const ids = [randomUUID(), randomUUID()];
    const orders = [0, 1].map(() => {
      ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
      const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
      ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
      return order;
    });
    try {
      for (const [i, order] of orders.entries()) await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: shopifyJson(orderPayload(order)), webhookId: ids[i] });
      await eventually(async () => expect((await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE webhook_id = ANY($1) AND status = 'failed'", [ids])).rows[0].n).toBe(2), 60_000, 200);
    } finally {
      ingestion.beforeCommit = null;
    }
    expect((await ctx.http.post('/ecommerce/webhooks/deliveries/replay').set(bearer(supportKey)).send({ businessId, status: 'failed' })).status).toBe(403);
    expect((await ctx.http.post('/ecommerce/webhooks/deliveries/replay').set(bearer()).send({ businessId, status: 'processed' })).status).toBe(400);
    const replay = await ctx.http.post('/ecommerce/webhooks/deliveries/replay').set(bearer()).send({ businessId, status: 'failed' });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ count: 2, more: false });
    await eventually(async () => expect((await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE webhook_id = ANY($1) AND status = 'processed'", [ids])).rows[0].n).toBe(2));
    const stored = await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE external_order_id = ANY($1)', [orders.map((o) => String(o.id))]);
    expect(stored.rows[0].n).toBe(2);
    expect((await ctx.http.post('/ecommerce/webhooks/deliveries/replay').set(bearer()).send({ businessId, status: 'failed' })).body).toMatchObject({ count: 0 });
    const bySource = await ctx.http.get(`/ecommerce/webhooks/deliveries?businessId=${businessId}&sourceId=${randomUUID()}`).set(bearer());
    expect(bySource.body.items).toEqual([]);
  });
});
