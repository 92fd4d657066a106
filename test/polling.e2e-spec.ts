import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';

describe('polling under Shopify rate limits', () => {
  let ctx: ShopifyTestContext;
  beforeAll(async () => {
    ctx = await startAppWithEmulator();
  });
  afterAll(() => ctx.close());

  const pollLogs = async (businessId: string) =>
    (await ctx.db.query("SELECT * FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll' ORDER BY started_at DESC", [businessId])).rows;
  const lastSyncedAt = async (businessId: string) =>
    (await ctx.db.query('SELECT last_synced_at FROM ecommerce_connection WHERE business_id = $1', [businessId])).rows[0].last_synced_at as Date | null;

  it('backfills 2,000 orders through a small cost bucket with no unrecovered THROTTLED, and holds last_synced_at when a page fails for good', async () => {
    const shop = 'backfill.myshopify.com';
    ctx.emulator.createShop(shop, { bucketSize: 400, restoreRate: 1000 });
    const businessId = await createBusiness(ctx);
    const product = (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'A', name: 'A', price: '1.00', stock: 5000 })).body.id as string;
    for (let i = 0; i < 2000; i++) ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });

    // Connecting schedules polling, whose first run is the look-back backfill.
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    const [first] = await eventually(async () => {
      const logs = await pollLogs(businessId);
      expect(logs).toHaveLength(1);
      return logs;
    }, 120_000);
    expect(first).toMatchObject({ status: 'success', processed: 2000, failed: 0 });
    expect(first.details).toMatchObject({ ingested: 2000 });
    const stock = await ctx.db.query('SELECT stock FROM product WHERE id = $1', [product]);
    expect(stock.rows[0].stock).toBe(3000);
    const synced = await lastSyncedAt(businessId);
    expect(synced).not.toBeNull();

    // Shopify failing for good: the run is logged as failed and last_synced_at stays where it was.
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    for (let i = 0; i < 5; i++) ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 503, count: 1000 });
    expect((await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId })).status).toBe(202);
    const failed = await eventually(async () => {
      const logs = await pollLogs(businessId);
      expect(logs).toHaveLength(2);
      return logs[0];
    }, 60_000);
    ctx.emulator.faults.length = 0;
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/HTTP 503/);
    expect(failed.message).toMatch(/last_synced_at stays/);
    expect((await lastSyncedAt(businessId))?.getTime()).toBe(synced!.getTime());

    // Shopify back: the next poll catches up from the held position.
    expect((await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId })).status).toBe(202);
    const recovered = await eventually(async () => {
      const logs = await pollLogs(businessId);
      expect(logs).toHaveLength(3);
      return logs[0];
    }, 60_000);
    expect(recovered).toMatchObject({ status: 'success' });
    expect(recovered.details).toMatchObject({ ingested: 5 });
    expect((await ctx.db.query('SELECT stock FROM product WHERE id = $1', [product])).rows[0].stock).toBe(2995);
    // 2,000 orders through a 400-point bucket take most of a minute on a quiet machine: the rule is what is checked, not the pace.
  }, 180_000);

  it('retries 429 (Retry-After) and 5xx during a poll and still completes', async () => {
    const shop = 'flaky.myshopify.com';
    ctx.emulator.createShop(shop);
    const businessId = await createBusiness(ctx);
    await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'A', name: 'A', price: '1.00', stock: 100 });
    for (let i = 0; i < 10; i++) ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    await eventually(async () => expect(await pollLogs(businessId)).toHaveLength(1), 30_000);

    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    for (let i = 0; i < 10; i++) ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 429, retryAfterSeconds: 1, count: 1 });
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 502, count: 2 });
    const faultsBefore = ctx.emulator.stats.faultsInjected;
    expect((await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId })).status).toBe(202);
    const log = await eventually(async () => {
      const logs = await pollLogs(businessId);
      expect(logs).toHaveLength(2);
      return logs[0];
    }, 30_000);
    expect(ctx.emulator.stats.faultsInjected - faultsBefore).toBe(3);
    expect(log).toMatchObject({ status: 'success' });
    expect(log.details).toMatchObject({ ingested: 10 });
  });
});
