import { randomUUID } from 'node:crypto';
import { EcommerceConnection } from '../src/ecommerce/connection/ecommerce-connection.entity.js';
import { BatchIngestionService, type BatchEntry } from '../src/ecommerce/orders/batch-ingestion.service.js';
import { OrderIngestionService } from '../src/ecommerce/orders/order-ingestion.service.js';
import type { NormalizedOrder } from '../src/ecommerce/shopify/order-mapper.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';

/** BatchIngestionService on its own: what one batch settles, and two batches racing over the same orders. */
describe('batched webhook ingestion', () => {
  let ctx: ShopifyTestContext;
  let batch: BatchIngestionService;
  let single: OrderIngestionService;
  let connection: EcommerceConnection;
  let businessId: string;
  const shop = 'batch.myshopify.com';
  let nextOrder = 1;

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx);
    for (const sku of ['A', 'B']) await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '1.00', stock: 1000 });
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    batch = ctx.app.get(BatchIngestionService, { strict: false });
    single = ctx.app.get(OrderIngestionService, { strict: false });
    connection = await findConnection();
  });
  afterAll(() => ctx.close());

  async function findConnection(): Promise<EcommerceConnection> {
    const { rows } = await ctx.db.query('SELECT id FROM ecommerce_connection WHERE business_id = $1', [businessId]);
    return Object.assign(new EcommerceConnection(), { id: rows[0].id as string, businessId, shopDomain: shop });
  }

  const order = (lines: Array<[string, number]>, change: Partial<NormalizedOrder> = {}): NormalizedOrder => {
    const id = String(900_000 + nextOrder++);
    return {
      externalId: id,
      name: `#${id}`,
      updatedAt: new Date('2026-11-22T10:00:00Z'),
      cancelledAt: null,
      lines: lines.map(([sku, quantity], i) => ({ externalLineId: `${id}-${i}`, sku, variantId: null, quantity })),
      ...change,
    };
  };
  /** A stored delivery for each entry, so that marking it processed can be checked. */
  const entry = async (o: NormalizedOrder): Promise<BatchEntry> => {
    const { rows } = await ctx.db.query(
      "INSERT INTO ecommerce_webhook_delivery (shop_domain, webhook_id, topic, business_id, connection_id, status) VALUES ($1, $2, 'orders/create', $3, $4, 'received') RETURNING id",
      [shop, randomUUID(), businessId, connection.id],
    );
    return { connection, order: o, deliveryId: rows[0].id as string };
  };
  const stock = async () =>
    Object.fromEntries((await ctx.db.query('SELECT sku, stock FROM product WHERE business_id = $1', [businessId])).rows.map((r) => [r.sku, r.stock])) as Record<string, number>;
  const statusOf = async (deliveryId: string) => (await ctx.db.query('SELECT status FROM ecommerce_webhook_delivery WHERE id = $1', [deliveryId])).rows[0].status as string;

  it('settles new orders, copies in the same batch, orders cancelled on arrival, stale copies and unmatched lines; leaves a cancellation to the one-order path', async () => {
    const known = order([['B', 4]]);
    await single.ingest(connection, known, { source: 'poll' });
    const staleKnown = order([['B', 1]]);
    await single.ingest(connection, staleKnown, { source: 'poll' });
    const before = await stock();

    const fresh = order([['A', 2]]);
    const arrivedCancelled = order([['B', 1]], { cancelledAt: new Date('2026-11-22T10:05:00Z') });
    const partly = order([['A', 1], ['NOPE', 3]]);
    const entries = [
      await entry(fresh),
      await entry({ ...fresh, updatedAt: new Date('2026-11-22T10:01:00Z') }),
      await entry(arrivedCancelled),
      await entry(partly),
      await entry({ ...known, cancelledAt: new Date('2026-11-22T11:00:00Z'), updatedAt: new Date('2026-11-22T11:00:00Z') }),
      await entry({ ...staleKnown, updatedAt: new Date('2026-11-22T09:00:00Z') }),
    ];
    const results = await batch.ingest(entries);
    expect(results.map((r) => (r === 'single' ? r : r.outcome))).toEqual(['ingested', 'duplicate', 'cancelled', 'ingested', 'single', 'stale']);
    expect(await stock()).toEqual({ A: before.A - 3, B: before.B });
    expect(await Promise.all(entries.map((e) => statusOf(e.deliveryId)))).toEqual(['processed', 'processed', 'processed', 'processed', 'received', 'processed']);

    const stored = await ctx.db.query('SELECT external_order_id, status, external_updated_at FROM ecommerce_ingested_order WHERE external_order_id = ANY($1) ORDER BY external_order_id', [
      [fresh.externalId, arrivedCancelled.externalId, partly.externalId],
    ]);
    expect(stored.rows.map((r) => [r.status, (r.external_updated_at as Date).toISOString()])).toEqual([
      ['ingested', '2026-11-22T10:01:00.000Z'],
      ['cancelled', '2026-11-22T10:00:00.000Z'],
      ['ingested', '2026-11-22T10:00:00.000Z'],
    ]);
    const logs = await ctx.db.query("SELECT status, message FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'order' AND details->>'externalOrderId' = $2", [businessId, partly.externalId]);
    expect(logs.rows).toEqual([{ status: 'partial', message: expect.stringMatching(/1 line\(s\) match no POS product \(NOPE\)/) }]);

    // The cancellation goes the one-order way, and restocks once.
    await single.ingest(connection, entries[4].order, { source: 'webhook', deliveryId: entries[4].deliveryId, markDeliveryProcessed: true });
    expect((await stock()).B).toBe(before.B + 4);
    expect(await statusOf(entries[4].deliveryId)).toBe('processed');
  });

  it('two batches racing over the same orders, in opposite orders: each order ingested once, stock exact, no deadlock', async () => {
    const orders = Array.from({ length: 30 }, (_, i) => order([['A', 1], ...(i % 2 ? ([['B', 2]] as Array<[string, number]>) : [])]));
    const before = await stock();
    const first = await Promise.all(orders.map((o) => entry(o)));
    const second = await Promise.all([...orders].reverse().map((o) => entry(o)));
    const [a, b] = await Promise.all([batch.ingest(first), batch.ingest(second)]);
    const outcomes = [...a, ...b].map((r) => (r === 'single' ? r : r.outcome));
    expect(outcomes.filter((o) => o === 'ingested')).toHaveLength(30);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(30);
    expect(await stock()).toEqual({ A: before.A - 30, B: before.B - 30 });
    const references = orders.flatMap((o) => o.lines.map((l) => `order:${o.externalId}:${l.externalLineId}`));
    const movements = await ctx.db.query('SELECT count(*)::int AS n FROM stock_movement WHERE business_id = $1 AND reference = ANY($2)', [businessId, references]);
    expect(movements.rows[0].n).toBe(45);
  });
});
