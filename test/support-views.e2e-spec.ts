import { randomUUID } from 'node:crypto';
import { orderPayload } from './shopify-emulator/emulator.js';
import { shopifyJson } from './shopify-emulator/state.js';
import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { sendWebhook } from './support/webhooks.js';
import { OrderIngestionService } from '../src/ecommerce/orders/order-ingestion.service.js';

describe('support views: deliveries, replay, order timeline', () => {
  let ctx: ShopifyTestContext;
  let shop: string;
  let businessId: string;
  let productId: string;
  let supportKey: string;

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    shop = 'support-views.myshopify.com';
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx);
    productId = (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'A', name: 'Alpha', price: '1.00', stock: 100 })).body.id;
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    supportKey = (await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'desk', role: 'support' })).body.key;
  });
  afterAll(() => ctx.close());

  const stock = async () => (await ctx.db.query('SELECT stock FROM product WHERE id = $1', [productId])).rows[0].stock as number;

  it('lists the inbox with status filter and paging, readable by support', async () => {
    ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    await eventually(async () => expect(await stock()).toBe(99));
    const all = await ctx.http.get(`/ecommerce/webhooks/deliveries?businessId=${businessId}&limit=1`).set(bearer(supportKey));
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(1);
    expect(all.body.items[0]).toEqual({
      id: expect.any(String), topic: expect.stringMatching(/^orders\//), webhookId: expect.any(String), sourceId: expect.any(String), status: 'processed',
      attempts: 1, lastError: null, receivedAt: expect.any(String), processedAt: expect.any(String),
    });
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await ctx.http.get(`/ecommerce/webhooks/deliveries?businessId=${businessId}&limit=1&cursor=${all.body.nextCursor}`).set(bearer(supportKey));
    expect(next.body.items[0].id).not.toBe(all.body.items[0].id);
    const failed = await ctx.http.get(`/ecommerce/webhooks/deliveries?businessId=${businessId}&status=failed`).set(bearer(supportKey));
    expect(failed.body.items).toEqual([]);
    expect((await ctx.http.get('/ecommerce/webhooks/deliveries?status=lost').set(bearer())).status).toBe(400);
  });

  it('replays a failed delivery once the cause is fixed, ingesting once; replaying again changes nothing', async () => {
    const ingestion = ctx.app.get(OrderIngestionService, { strict: false });
    ingestion.beforeCommit = () => {
      throw new Error('database trouble');
    };
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 5 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    const webhookId = randomUUID();
    const before = await stock();
    try {
      await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: shopifyJson(orderPayload(order)), webhookId });
      await eventually(async () => {
        const rows = await ctx.db.query('SELECT status FROM ecommerce_webhook_delivery WHERE webhook_id = $1', [webhookId]);
        expect(rows.rows[0].status).toBe('failed');
      }, 60_000, 200);
    } finally {
      ingestion.beforeCommit = null;
    }
    expect(await stock()).toBe(before);
    const [{ id }] = (await ctx.db.query('SELECT id FROM ecommerce_webhook_delivery WHERE webhook_id = $1', [webhookId])).rows;
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=webhook&status=failed`).set(bearer());
    expect(logs.body.items[0].message).toMatch(/database trouble.*Replay/);

    expect((await ctx.http.post(`/ecommerce/webhooks/deliveries/${id}/replay`).set(bearer(supportKey))).status).toBe(403);
    const replay = await ctx.http.post(`/ecommerce/webhooks/deliveries/${id}/replay`).set(bearer());
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ jobId: id, statusUrl: `/ecommerce/jobs/${id}` });
    await eventually(async () => expect(await stock()).toBe(before - 5));
    const replayJob = await eventually(async () => {
      const job = await ctx.http.get(replay.body.statusUrl).set(bearer(supportKey));
      expect(job.body.state).toBe('completed');
      return job.body;
    });
    expect(replayJob.logs.map((l: { type: string; status: string }) => `${l.type}:${l.status}`)).toContain('order:success');
    expect((await ctx.http.post(`/ecommerce/webhooks/deliveries/${id}/replay`).set(bearer())).status).toBe(202);
    await eventually(async () => {
      const rows = await ctx.db.query('SELECT status FROM ecommerce_webhook_delivery WHERE id = $1', [id]);
      expect(rows.rows[0].status).toBe('processed');
    });
    expect(await stock()).toBe(before - 5);
    expect((await ctx.http.post(`/ecommerce/webhooks/deliveries/${randomUUID()}/replay`).set(bearer())).status).toBe(404);
    expect((await ctx.http.post('/ecommerce/webhooks/deliveries/abc/replay').set(bearer())).status).toBe(400);
  });

  it('shows an order timeline: lines with products, movements, the deliveries and polls that saw it', async () => {
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 2 }, { sku: 'ZZZ', quantity: 1 }] });
    await eventually(async () => {
      const rows = await ctx.db.query('SELECT id FROM ecommerce_ingested_order WHERE external_order_id = $1', [String(order.id)]);
      expect(rows.rowCount).toBe(1);
    });
    await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId });
    ctx.emulator.updateOrder(shop, order.id, { cancel: true });
    const [{ id }] = (await ctx.db.query('SELECT id FROM ecommerce_ingested_order WHERE external_order_id = $1', [String(order.id)])).rows;
    const detail = await eventually(async () => {
      const res = await ctx.http.get(`/ecommerce/orders/${id}`).set(bearer(supportKey));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      return res.body;
    });
    expect(detail).toMatchObject({ id, externalOrderId: String(order.id), orderNumber: order.name });
    expect(detail.lines).toEqual([
      expect.objectContaining({ sku: 'A', quantity: 2, currentQuantity: 0, held: 0, productId, product: { id: productId, sku: 'A', name: 'Alpha' } }),
      expect.objectContaining({ sku: 'ZZZ', quantity: 1, currentQuantity: 0, held: 0, productId: null, product: null }),
    ]);
    expect(detail.stockMovements.map((m: { delta: number; reason: string }) => [m.delta, m.reason])).toEqual([
      [-2, 'online_order'],
      // Shopify sends the cancellation's refund (restock type cancel) and orders/cancelled: whichever comes first returns the stock.
      [2, expect.stringMatching(/^online_order_(cancelled|refunded)$/)],
    ]);
    expect(detail.deliveries.map((d: { topic: string }) => d.topic)).toEqual(expect.arrayContaining(['orders/create', 'orders/paid', 'orders/cancelled', 'refunds/create']));
    expect(detail.logs.length).toBeGreaterThanOrEqual(2);
    expect((await ctx.http.get(`/ecommerce/orders/${randomUUID()}`).set(bearer())).status).toBe(404);
  });
});
