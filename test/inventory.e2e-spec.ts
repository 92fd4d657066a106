import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { InventoryReconciliationService } from '../src/ecommerce/inventory-sync/inventory-reconciliation.service.js';
import { INVENTORY_QUEUE } from '../src/ecommerce/inventory-sync/inventory-sync.constants.js';
import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';

describe('inventory push', () => {
  let ctx: ShopifyTestContext;
  beforeAll(async () => {
    ctx = await startAppWithEmulator();
  });
  afterAll(() => ctx.close());

  let n = 0;
  /** `count` products pushed to a fresh shop (so all are mapped), with stock 1000 each. */
  const setup = async (count: number) => {
    const shop = `inventory-${++n}.myshopify.com`;
    ctx.emulator.createShop(shop, { bucketSize: 10_000, restoreRate: 1000 });
    const businessId = await createBusiness(ctx);
    const products: Array<{ id: string; sku: string }> = [];
    for (let i = 0; i < count; i++) {
      const res = await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: `S-${i}`, name: `P ${i}`, price: '2.00', stock: 1000 });
      products.push({ id: res.body.id, sku: `S-${i}` });
    }
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    expect((await ctx.http.post('/ecommerce/sync/products').set(bearer()).send({ businessId })).status).toBe(202);
    await eventually(async () => {
      const rows = await ctx.db.query("SELECT status FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'product_sync'", [businessId]);
      expect(rows.rows).toEqual([{ status: 'success' }]);
    }, 60_000, 100);
    return { shop, businessId, products };
  };
  const adjust = (businessId: string, productId: string, delta: number) =>
    ctx.http.post(`/businesses/${businessId}/products/${productId}/stock-adjustments`).set(bearer()).send({ delta, reason: 'test' });
  const posLevels = async (businessId: string) =>
    new Map((await ctx.db.query('SELECT sku, stock FROM product WHERE business_id = $1', [businessId])).rows.map((r) => [r.sku as string, r.stock as number]));
  const shopLevels = (shop: string) => new Map(ctx.emulator.products(shop).map((p) => [p.variants[0].sku!, p.variants[0].available]));
  const expectConverged = async (shop: string, businessId: string) =>
    eventually(async () => expect(shopLevels(shop)).toEqual(await posLevels(businessId)), 60_000, 200);

  it('pushes 1,000 stock changes over 100 products in a few batched calls, ending at exactly the POS levels', async () => {
    const { shop, businessId, products } = await setup(100);
    const callsBefore = ctx.emulator.stats.mutations.inventorySetQuantities ?? 0;
    const throttledBefore = ctx.emulator.stats.graphqlThrottled;
    for (let round = 0; round < 10; round++) {
      await Promise.all(products.map((p, i) => adjust(businessId, p.id, ((i + round) % 5) - 2 || 1)));
    }
    await expectConverged(shop, businessId);
    const calls = (ctx.emulator.stats.mutations.inventorySetQuantities ?? 0) - callsBefore;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(30);
    expect(ctx.emulator.stats.graphqlThrottled - throttledBefore).toBe(0);
    const pending = await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_inventory_outbox WHERE business_id = $1 AND pushed_at IS NULL', [businessId]);
    expect(pending.rows[0].n).toBe(0);
  });

  it('carries an order ingested from Shopify through to the shop level', async () => {
    const { shop, businessId } = await setup(2);
    ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'S-1', quantity: 4 }] });
    await eventually(async () => expect((await posLevels(businessId)).get('S-1')).toBe(996));
    await eventually(() => expect(shopLevels(shop).get('S-1')).toBe(996), 30_000, 100);
  });

  it('converges after the queue was unavailable while stock changed (outbox + reconciliation)', async () => {
    const { shop, businessId, products } = await setup(5);
    const queue = ctx.app.get<Queue>(getQueueToken(INVENTORY_QUEUE), { strict: false });
    const original = queue.add.bind(queue);
    queue.add = (() => Promise.reject(new Error('Connection is closed.'))) as typeof queue.add;
    try {
      for (const p of products) await adjust(businessId, p.id, -3);
    } finally {
      queue.add = original;
    }
    expect(shopLevels(shop).get('S-0')).toBe(1000);
    await ctx.app.get(InventoryReconciliationService, { strict: false }).reconcile(businessId);
    expect(shopLevels(shop)).toEqual(await posLevels(businessId));
  });

  it('retries through a spell of 5xx answers and converges, logging the failures', async () => {
    const { shop, businessId, products } = await setup(3);
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 503, count: 8 });
    await adjust(businessId, products[0].id, -10);
    await expectConverged(shop, businessId);
    // The shop holds the new level as soon as Shopify answers; the success entry is written after that answer.
    await eventually(async () => {
      const logs = await ctx.db.query("SELECT status, message FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'inventory_push' ORDER BY started_at", [businessId]);
      expect(logs.rows.map((r) => r.status)).toEqual(expect.arrayContaining(['failed', 'success']));
      expect(logs.rows.find((r) => r.status === 'failed')!.message).toMatch(/HTTP 503/);
    });
  });

  it('restores a level changed directly in Shopify at reconciliation, and logs the drift', async () => {
    const { shop, businessId } = await setup(3);
    await fetch(`${ctx.emulator.baseUrl}/_control/shops/${shop}/inventory`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku: 'S-2', available: 3 }) });
    expect(shopLevels(shop).get('S-2')).toBe(3);
    const summary = await ctx.app.get(InventoryReconciliationService, { strict: false }).reconcile(businessId);
    expect(summary).toEqual({ checked: 3, drifted: 1 });
    expect(shopLevels(shop).get('S-2')).toBe(1000);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=inventory_push`).set(bearer());
    expect(logs.body.items[0].message).toMatch(/1 of 3 items had drifted/);
    expect(logs.body.items[0].details.drift).toEqual([{ productId: expect.any(String), pos: 1000, shopify: 3 }]);
  });

  it('pushes a stock level that comes back (999, 1000, 999) every time: each push has an idempotency key of its own', async () => {
    const { shop, businessId, products } = await setup(1);
    for (const delta of [-1, 1, -1, 1]) {
      await adjust(businessId, products[0].id, delta);
      await expectConverged(shop, businessId);
    }
    expect(shopLevels(shop).get('S-0')).toBe(1000);
  });

  it("pushes to the shop's primary location, not the first by name, and to another location an admin chooses", async () => {
    const { shop, businessId, products } = await setup(2);
    const [primary, popUp] = ctx.emulator.shop(shop).locations;
    const byLocation = (sku: string) => ctx.emulator.products(shop).find((p) => p.variants[0].sku === sku)!.variants[0].byLocation;
    expect(byLocation('S-0')).toEqual({ [primary.id]: 1000, [popUp.id]: 0 });
    const view = await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    expect(view.body.locationId).toBe(`gid://shopify/Location/${primary.id}`);

    const patch = (body: object) => ctx.http.patch(`/ecommerce/connection?businessId=${businessId}`).set(bearer()).send(body);
    expect((await patch({ locationId: 'gid://shopify/Location/99999' })).status).toBe(422);
    expect((await patch({ locationId: 'warehouse' })).body.message).toMatch(/not a Shopify location id/);
    expect((await patch({})).status).toBe(400);
    expect((await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer())).body.locationId).toBe(`gid://shopify/Location/${primary.id}`);

    const chosen = await patch({ locationId: String(popUp.id) });
    expect(chosen.status).toBe(200);
    expect(chosen.body.locationId).toBe(`gid://shopify/Location/${popUp.id}`);
    await adjust(businessId, products[1].id, -5);
    await eventually(() => expect(byLocation('S-1')).toEqual({ [primary.id]: 1000, [popUp.id]: 995 }), 30_000, 100);
  });
});
