import type { Job } from 'bullmq';
import { CATALOG_QUEUE, PRODUCT_PUSH_JOB } from '../src/ecommerce/catalog-sync/catalog-sync.constants.js';
import { CatalogWorker } from '../src/ecommerce/catalog-sync/catalog.worker.js';
import { collectionRoot } from './shopify-emulator/collection-resolvers.js';
import { productRoot } from './shopify-emulator/product-resolvers.js';
import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';

describe('catalog push', () => {
  let ctx: ShopifyTestContext;
  beforeAll(async () => {
    ctx = await startAppWithEmulator();
  });
  afterAll(() => ctx.close());

  let n = 0;
  /** A Shopify Plus-sized bucket: each productSet costs 10 points, and 500 of them on a standard plan take 40 s. */
  const setup = async (count: number) => {
    const shop = `catalog-${++n}.myshopify.com`;
    ctx.emulator.createShop(shop, { bucketSize: 10_000, restoreRate: 1000 });
    const businessId = await createBusiness(ctx);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: `SKU-${i}`, name: `Product ${i}`, price: `${i + 1}.50`, stock: i });
      ids.push(res.body.id);
    }
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    return { shop, businessId, ids };
  };
  const pushLogs = async (businessId: string) =>
    (await ctx.db.query("SELECT * FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'product_sync' ORDER BY started_at DESC", [businessId])).rows;
  const push = async (businessId: string, expectedLogs: number) => {
    const res = await ctx.http.post('/ecommerce/sync/products').set(bearer()).send({ businessId });
    expect(res.status).toBe(202);
    expect(res.body.jobId).toEqual(expect.any(String));
    return eventually(async () => {
      const logs = await pushLogs(businessId);
      expect(logs).toHaveLength(expectedLogs);
      return logs[0];
    }, 60_000, 100);
  };
  const mappingCount = async (businessId: string) =>
    (await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_product_mapping WHERE business_id = $1', [businessId])).rows[0].n as number;

  it('pushes 250 products with their SKUs, prices and levels, and creates nothing twice when run again', async () => {
    const { shop, businessId } = await setup(250);
    const first = await push(businessId, 1);
    expect(first).toMatchObject({ status: 'success', processed: 250, failed: 0 });
    expect(first.details).toMatchObject({ created: 250 });
    expect(await mappingCount(businessId)).toBe(250);

    const products = ctx.emulator.products(shop);
    expect(products).toHaveLength(250);
    const bySku = new Map(products.map((p) => [p.variants[0].sku, p]));
    for (let i = 0; i < 250; i++) {
      expect(bySku.get(`SKU-${i}`)).toMatchObject({ title: `Product ${i}`, variants: [{ price: `${i + 1}.50`, available: i }] });
    }

    const again = await push(businessId, 2);
    expect(again).toMatchObject({ status: 'success', processed: 250 });
    expect(again.details).toMatchObject({ created: 0, updated: 250 });
    expect(ctx.emulator.products(shop)).toHaveLength(250);
    expect(await mappingCount(businessId)).toBe(250);
  });

  it('counts a product the shop rejects as failed, with its SKU and Shopify message, and pushes the rest', async () => {
    const { shop, businessId } = await setup(5);
    ctx.emulator.shop(shop).rejectedSkus.add('SKU-3');
    const log = await push(businessId, 1);
    expect(log).toMatchObject({ status: 'partial', processed: 5, failed: 1 });
    expect(log.details.failures).toEqual([{ productId: expect.any(String), sku: 'SKU-3', message: expect.stringMatching(/not allowed/) }]);
    expect(log.message).toContain('SKU-3');
    expect(ctx.emulator.products(shop)).toHaveLength(4);
  });

  it('adopts a product whose SKU already exists in the shop instead of creating it', async () => {
    const shop = `catalog-${++n}.myshopify.com`;
    ctx.emulator.createShop(shop);
    productRoot(ctx.emulator.shop(shop)).productSet({ input: { title: 'Old name', variants: [{ price: '1.00', inventoryItem: { sku: 'SKU-0' } }] } });
    const businessId = await createBusiness(ctx);
    await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'SKU-0', name: 'New name', price: '9.99', stock: 7 });
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    const log = await push(businessId, 1);
    expect(log.details).toMatchObject({ adopted: 1, created: 0 });
    expect(ctx.emulator.products(shop)).toEqual([expect.objectContaining({ title: 'New name', variants: [expect.objectContaining({ sku: 'SKU-0', price: '9.99', available: 7 })] })]);
  });

  it('runs two pushes requested at once one after the other, without duplicates', async () => {
    const { shop, businessId } = await setup(20);
    const [a, b] = await Promise.all([
      ctx.http.post('/ecommerce/sync/products').set(bearer()).send({ businessId }),
      ctx.http.post('/ecommerce/sync/products').set(bearer()).send({ businessId }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const logs = await eventually(async () => {
      const rows = await pushLogs(businessId);
      expect(rows).toHaveLength(2);
      return rows;
    }, 60_000, 100);
    const [later, earlier] = logs;
    expect(new Date(later.started_at).getTime()).toBeGreaterThanOrEqual(new Date(earlier.finished_at).getTime());
    expect(ctx.emulator.products(shop)).toHaveLength(20);
    expect(await mappingCount(businessId)).toBe(20);
  });

  it('pushes categories as collections with their products, adopting by title, creating nothing twice', async () => {
    const shop = `catalog-${++n}.myshopify.com`;
    ctx.emulator.createShop(shop, { bucketSize: 10_000, restoreRate: 1000 });
    const businessId = await createBusiness(ctx);
    const category = async (name: string) => (await ctx.http.post(`/businesses/${businessId}/categories`).set(bearer()).send({ name })).body.id as string;
    const beans = await category('Beans');
    const cups = await category('Cups');
    for (let i = 0; i < 3; i++) await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: `BEAN-${i}`, name: `Bean ${i}`, price: '5.00', stock: 5, categoryId: beans });
    await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'CUP-0', name: 'Cup', price: '3.00', stock: 5, categoryId: cups });
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    await push(businessId, 1);
    // "Cups" already exists in the shop: it is adopted, not created again.
    const emulatorShop = ctx.emulator.shop(shop);
    collectionRoot(emulatorShop).collectionCreate({ collection: { title: 'Cups' } }); // made by the merchant: no source of ours

    const collectionLogs = async () =>
      (await ctx.db.query("SELECT * FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'collection_sync' ORDER BY started_at DESC", [businessId])).rows;
    const run = async (expected: number) => {
      const res = await ctx.http.post('/ecommerce/sync/collections').set(bearer()).send({ businessId });
      expect(res.status).toBe(202);
      return eventually(async () => {
        const logs = await collectionLogs();
        expect(logs).toHaveLength(expected);
        return logs[0];
      }, 30_000, 100);
    };
    const first = await run(1);
    expect(first).toMatchObject({ status: 'success', processed: 2, failed: 0 });
    expect(first.details).toMatchObject({ created: 1, adopted: 1, memberships: 4 });
    const again = await run(2);
    expect(again.details).toMatchObject({ created: 0, adopted: 0, memberships: 4 });

    const collections = await (await fetch(`${ctx.emulator.baseUrl}/_control/shops/${shop}/collections`)).json() as Array<{ title: string; productIds: number[] }>;
    expect(collections.map((c) => [c.title, c.productIds.length]).sort()).toEqual([['Beans', 3], ['Cups', 1]]);
  });

  it('a push taken up again after its worker stopped mid-run says so in the sync log, then completes without duplicates', async () => {
    const { shop, businessId } = await setup(5);
    await push(businessId, 1);
    // What BullMQ hands the next worker after the first one's lock ran out: the same job, counted as stalled once.
    const resumed = { id: 'resumed-1', name: PRODUCT_PUSH_JOB, queueName: CATALOG_QUEUE, data: { businessId }, stalledCounter: 1 } as unknown as Job;
    await ctx.app.get(CatalogWorker, { strict: false }).process(resumed);
    const logs = await pushLogs(businessId);
    expect(logs.map((l) => l.status)).toEqual(['success', 'failed', 'success']);
    expect(logs[1].message).toMatch(/interrupted .* resuming/);
    expect(logs[1].details).toMatchObject({ jobId: 'resumed-1', interruptions: 1 });
    expect(ctx.emulator.products(shop)).toHaveLength(5);
  });

  it('a push says where to follow it: GET /ecommerce/jobs/:id shows its state, progress, result and sync log', async () => {
    const { businessId } = await setup(120);
    const res = await ctx.http.post('/ecommerce/sync/products').set(bearer()).send({ businessId });
    expect(res.status).toBe(202);
    expect(res.body.statusUrl).toBe(`/ecommerce/jobs/${res.body.jobId}`);
    const job = await eventually(async () => {
      const answer = await ctx.http.get(res.body.statusUrl).set(bearer());
      expect(answer.status).toBe(200);
      expect(answer.body.state).toBe('completed');
      return answer.body;
    }, 60_000, 100);
    expect(job).toMatchObject({ queue: 'ecommerce-catalog', name: 'push-products', progress: { processed: 120, created: 120 }, result: { processed: 120, created: 120, failed: 0 } });
    expect(job.logs).toEqual([expect.objectContaining({ type: 'product_sync', status: 'success' })]);
    expect((await ctx.http.get('/ecommerce/jobs/push-products-nope').set(bearer())).status).toBe(404);
    expect((await ctx.http.get('/ecommerce/jobs/%20bad%20id').set(bearer())).status).toBe(400);
  });

  it('answers 404 for a business without a connection and 400 for a malformed id', async () => {
    const businessId = await createBusiness(ctx);
    expect((await ctx.http.post('/ecommerce/sync/products').set(bearer()).send({ businessId })).status).toBe(404);
    expect((await ctx.http.post('/ecommerce/sync/products').set(bearer()).send({ businessId: 'nope' })).status).toBe(400);
    expect((await ctx.http.post('/ecommerce/sync/collections').set(bearer()).send({ businessId })).status).toBe(404);
  });
});
