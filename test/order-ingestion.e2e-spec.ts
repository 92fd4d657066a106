import { randomUUID } from 'node:crypto';
import { CONVERT_LINES_OF_OLD_ORDERS } from '../migrations/1795978817793-OrderLifecycle.js';
import { EcommerceConnection } from '../src/ecommerce/connection/ecommerce-connection.entity.js';
import { OrderIngestionService, type IngestEntry, type IngestOutcome, type OrderChangeEvent } from '../src/ecommerce/orders/order-ingestion.service.js';
import type { Order, OrderChange, Refund } from '../src/ecommerce/orders/order.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';

/**
 * The ingestion service on real Postgres, without HTTP: each rule of the order lifecycle as a table row (a
 * sequence of changes, the outcomes, the stock at the end), then batches and races.
 */
describe('order ingestion rules', () => {
  let ctx: ShopifyTestContext;
  let ingestion: OrderIngestionService;
  let connection: EcommerceConnection;
  let businessId: string;
  const shop = 'lifecycle-rules.myshopify.com';
  let nextOrder = 1;
  const START = 1000;

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx);
    for (const sku of ['A', 'B', 'C']) await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '1.00', stock: START });
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    ingestion = ctx.app.get(OrderIngestionService, { strict: false });
    const { rows } = await ctx.db.query('SELECT id FROM ecommerce_connection WHERE business_id = $1', [businessId]);
    connection = Object.assign(new EcommerceConnection(), { id: rows[0].id as string, businessId, shopDomain: shop, provider: 'shopify' });
  });
  afterAll(() => ctx.close());

  const stock = async () =>
    Object.fromEntries((await ctx.db.query('SELECT sku, stock FROM product WHERE business_id = $1', [businessId])).rows.map((r) => [r.sku, r.stock])) as Record<string, number>;
  const at = (minute: number) => new Date(Date.now() - 60 * 60_000 + minute * 60_000);

  /** A little language for one order's history: versions by minute, refunds by id. */
  function orderBuilder() {
    const id = String(820_982_911_946_200_000n + BigInt(nextOrder++));
    return {
      id,
      version(minute: number, lines: Array<[string, number, number?]>, extra: Partial<Order> = {}): OrderChange {
        return {
          kind: 'version',
          order: {
            externalId: id,
            name: `#${id.slice(-4)}`,
            updatedAt: at(minute),
            cancelledAt: null,
            lines: lines.map(([sku, quantity, current]) => ({ externalLineId: `${id}-${sku}`, sku, variantId: null, quantity, currentQuantity: current ?? quantity })),
            refunds: [],
            ...extra,
          },
        };
      },
      refund(refundId: string, lines: Array<[string, number, boolean]>): Refund {
        return { externalId: `${id}-${refundId}`, lines: lines.map(([sku, quantity, restock]) => ({ externalLineId: `${id}-${sku}`, quantity, restock })) };
      },
      refundAlone(refund: Refund): OrderChange {
        return { kind: 'refund', orderExternalId: id, orderName: null, refund };
      },
    };
  }
  const entry = (change: OrderChange, receivedAt?: Date): IngestEntry => ({ connection, change, source: 'webhook', receivedAt });

  type Step = OrderChange | [OrderChange, Date];
  const cases: Array<[string, (o: ReturnType<typeof orderBuilder>) => Step[], IngestOutcome[], Record<string, number>]> = [
    ['new', (o) => [o.version(0, [['A', 5], ['B', 2]])], ['ingested'], { A: -5, B: -2 }],
    ['duplicate', (o) => [o.version(0, [['A', 5]]), o.version(0, [['A', 5]])], ['ingested', 'duplicate'], { A: -5 }],
    ['stale', (o) => [o.version(1, [['A', 5, 3]]), o.version(0, [['A', 5]])], ['ingested', 'stale'], { A: -3 }],
    ['edit down', (o) => [o.version(0, [['A', 5]]), o.version(1, [['A', 5, 2]])], ['ingested', 'changed'], { A: -2 }],
    ['edit up', (o) => [o.version(0, [['A', 2]]), o.version(1, [['A', 2, 4]])], ['ingested', 'changed'], { A: -4 }],
    ['line removed', (o) => [o.version(0, [['A', 5], ['B', 2]]), o.version(1, [['A', 5], ['B', 2, 0]])], ['ingested', 'changed'], { A: -5, B: 0 }],
    ['line added', (o) => [o.version(0, [['A', 5]]), o.version(1, [['A', 5], ['C', 3]])], ['ingested', 'changed'], { A: -5, C: -3 }],
    ['refund with restock', (o) => [o.version(0, [['A', 5]]), o.refundAlone(o.refund('r1', [['A', 2, true]]))], ['ingested', 'changed'], { A: -3 }],
    [
      'refund with restock, then the version that counts it',
      (o) => {
        const r = o.refund('r1', [['A', 2, true]]);
        return [o.version(0, [['A', 5]]), o.refundAlone(r), o.version(1, [['A', 5, 3]], { refunds: [r] })];
      },
      ['ingested', 'changed', 'changed'],
      { A: -3 },
    ],
    [
      'refund without restock',
      (o) => {
        const r = o.refund('r1', [['A', 2, false]]);
        return [o.version(0, [['A', 5]]), o.refundAlone(r), o.version(1, [['A', 5, 3]], { refunds: [r] })];
      },
      ['ingested', 'changed', 'changed'],
      { A: -5 },
    ],
    [
      'cancel with restock',
      (o) => [o.version(0, [['A', 5]]), o.version(1, [['A', 5, 0]], { cancelledAt: at(1), refunds: [o.refund('c', [['A', 5, true]])] })],
      ['ingested', 'cancelled'],
      { A: 0 },
    ],
    [
      'cancel without restock',
      (o) => [o.version(0, [['A', 5]]), o.version(1, [['A', 5, 0]], { cancelledAt: at(1), refunds: [o.refund('c', [['A', 5, false]])] })],
      ['ingested', 'cancelled'],
      { A: -5 },
    ],
    ['cancel with no refund lines: everything restocked', (o) => [o.version(0, [['A', 5]]), o.version(1, [['A', 5]], { cancelledAt: at(1) })], ['ingested', 'cancelled'], { A: 0 }],
    ['cancel before create', (o) => [o.version(1, [['A', 5]], { cancelledAt: at(1) }), o.version(0, [['A', 5]])], ['cancelled', 'stale'], { A: 0 }],
    ['a refund of an order not seen yet', (o) => [o.refundAlone(o.refund('r1', [['A', 1, true]]))], ['unknown_order'], {}],
    [
      'a version dated a day ahead, then the real cancellation',
      (o) => [o.version(0, [['A', 5]]), [o.version(60 * 24, [['A', 5]]), at(5)], o.version(10, [['A', 5]], { cancelledAt: at(10) })],
      ['ingested', 'changed', 'cancelled'],
      { A: 0 },
    ],
    [
      'a version dated a day ahead, then a real edit',
      (o) => [o.version(0, [['A', 5]]), [o.version(60 * 24, [['A', 5]]), at(5)], o.version(10, [['A', 5, 1]])],
      ['ingested', 'changed', 'changed'],
      { A: -1 },
    ],
  ];

  it.each(cases)('%s: one at a time', async (_rule, steps, outcomes, change) => {
    const before = await stock();
    const o = orderBuilder();
    const seen: IngestOutcome[] = [];
    for (const step of steps(o)) {
      const [c, receivedAt] = Array.isArray(step) ? step : [step, undefined];
      seen.push((await ingestion.ingestOne(entry(c, receivedAt))).outcome);
    }
    expect(seen).toEqual(outcomes);
    const after = await stock();
    for (const sku of ['A', 'B', 'C']) expect({ sku, moved: after[sku] - before[sku] }).toEqual({ sku, moved: change[sku] ?? 0 });
  });

  it.each(cases.filter(([rule]) => !rule.includes('not seen')))('%s: all in one batch', async (_rule, steps, _outcomes, change) => {
    const before = await stock();
    const o = orderBuilder();
    await ingestion.ingest(steps(o).map((step) => (Array.isArray(step) ? entry(step[0], step[1]) : entry(step))));
    const after = await stock();
    for (const sku of ['A', 'B', 'C']) expect({ sku, moved: after[sku] - before[sku] }).toEqual({ sku, moved: change[sku] ?? 0 });
  });

  it('marks the deliveries of a batch processed in its transaction, and writes one ledger row per movement', async () => {
    const o = orderBuilder();
    const deliveries: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { rows } = await ctx.db.query(
        "INSERT INTO ecommerce_webhook_delivery (shop_domain, webhook_id, topic, business_id, connection_id, status) VALUES ($1, $2, 'orders/updated', $3, $4, 'received') RETURNING id",
        [shop, randomUUID(), businessId, connection.id],
      );
      deliveries.push(rows[0].id as string);
    }
    const changes = [o.version(0, [['A', 5]]), o.version(1, [['A', 5, 3]]), o.version(2, [['A', 5, 3]], { cancelledAt: at(2) })];
    const results = await ingestion.ingest(changes.map((change, i) => ({ ...entry(change), deliveryId: deliveries[i] })));
    expect(results.map((r) => r.outcome)).toEqual(['ingested', 'changed', 'cancelled']);
    const statuses = await ctx.db.query('SELECT status FROM ecommerce_webhook_delivery WHERE id = ANY($1::uuid[])', [deliveries]);
    expect(statuses.rows.map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
    const ledger = await ctx.db.query('SELECT delta, reason, reference FROM stock_movement WHERE reference LIKE $1 ORDER BY reference', [`order:${connection.id}:${o.id}:%`]);
    expect(ledger.rows).toEqual([
      { delta: -5, reason: 'online_order', reference: `order:${connection.id}:${o.id}:${o.id}-A:0` },
      { delta: 2, reason: 'online_order_edited', reference: `order:${connection.id}:${o.id}:${o.id}-A:1` },
      { delta: 3, reason: 'online_order_cancelled', reference: `order:${connection.id}:${o.id}:${o.id}-A:2` },
    ]);
    const log = await ctx.db.query("SELECT message FROM ecommerce_sync_log WHERE type = 'order' AND details->>'externalOrderId' = $1 ORDER BY started_at, message", [o.id]);
    expect(log.rows.map((r) => r.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/edited .*line A 5 -> 3, 2 returned to stock/), expect.stringMatching(/cancelled .*line A 3 -> 0, 3 returned to stock/)]),
    );
  });

  it('two batches racing over the same 30 orders and their edits: each order once, each movement once, stock exact, no deadlock', async () => {
    const before = await stock();
    const orders = Array.from({ length: 30 }, () => orderBuilder());
    const changes = orders.flatMap((o, i) => [o.version(0, [['A', 1], ['B', 2]]), o.version(1, [['A', 1, i % 2 ? 0 : 1], ['B', 2]])]);
    const reversed = [...changes].reverse();
    const [first, second] = await Promise.all([ingestion.ingest(changes.map((c) => entry(c))), ingestion.ingest(reversed.map((c) => entry(c)))]);
    expect([...first, ...second].filter((r) => r.outcome === 'ingested')).toHaveLength(30);
    const after = await stock();
    expect(after.A - before.A).toBe(-15);
    expect(after.B - before.B).toBe(-60);
    const rows = await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE external_order_id = ANY($1)', [orders.map((o) => o.id)]);
    expect(rows.rows[0].n).toBe(30);
  });

  it('hands every order change to the change hooks inside its transaction; a hook that fails rolls the whole change back', async () => {
    const seen: Array<Pick<OrderChangeEvent, 'cause' | 'externalOrderId'>> = [];
    let fail = false;
    ingestion.registerChangeHook(async (manager, events) => {
      await manager.query('SELECT 1');
      if (fail) throw new Error('the forwarding outbox is down');
      seen.push(...events.map(({ cause, externalOrderId }) => ({ cause, externalOrderId })));
    });
    const o = orderBuilder();
    await ingestion.ingest([entry(o.version(0, [['A', 2]])), entry(o.version(0, [['A', 2]])), entry(o.version(1, [['A', 2, 1]]))]);
    expect(seen).toEqual([
      { cause: 'placed', externalOrderId: o.id },
      { cause: 'edited', externalOrderId: o.id },
    ]);
    fail = true;
    const before = await stock();
    await expect(ingestion.ingestOne(entry(o.version(2, [['A', 2, 0]])))).rejects.toThrow(/outbox is down/);
    expect(await stock()).toEqual(before);
    const row = await ctx.db.query('SELECT lines FROM ecommerce_ingested_order WHERE external_order_id = $1', [o.id]);
    expect(row.rows[0].lines[0]).toMatchObject({ currentQuantity: 1, held: 1 });
    fail = false;
  });

  it('an order ingested before the lifecycle rules (old references, decremented flags) moves nothing twice after the migration', async () => {
    const o = orderBuilder();
    const placed = o.version(0, [['A', 4]]);
    const placedAt = placed.kind === 'version' ? placed.order.updatedAt : new Date();
    const oldLines = [{ externalLineId: `${o.id}-A`, sku: 'A', variantId: null, quantity: 4, productId: null as string | null, decremented: true }];
    const { rows: products } = await ctx.db.query("SELECT id FROM product WHERE business_id = $1 AND sku = 'A'", [businessId]);
    oldLines[0].productId = products[0].id as string;
    // As the code before the lifecycle left it: the order row and its decrement under the old reference.
    await ctx.db.query(
      `INSERT INTO ecommerce_ingested_order (connection_id, business_id, external_order_id, order_number, source, status, lines, external_updated_at)
       VALUES ($1, $2, $3, '#old', 'webhook', 'ingested', $4, $5)`,
      [connection.id, businessId, o.id, JSON.stringify(oldLines), placedAt],
    );
    await ctx.db.query("UPDATE product SET stock = stock - 4 WHERE id = $1", [products[0].id]);
    await ctx.db.query(
      "INSERT INTO stock_movement (business_id, product_id, delta, reason, reference, stock_after) SELECT $1, $2, -4, 'online_order', $3, stock FROM product WHERE id = $2",
      [businessId, products[0].id, `order:${o.id}:${o.id}-A`],
    );
    await ctx.db.query(CONVERT_LINES_OF_OLD_ORDERS);
    const before = await stock();
    expect((await ingestion.ingestOne(entry(placed))).outcome).toBe('duplicate');
    expect((await ingestion.ingestOne(entry(o.version(1, [['A', 4, 1]])))).outcome).toBe('changed');
    expect((await stock()).A - before.A).toBe(3);
    const timeline = (await ctx.http.get(`/ecommerce/orders/${(await ctx.db.query('SELECT id FROM ecommerce_ingested_order WHERE external_order_id = $1', [o.id])).rows[0].id}`).set(bearer())).body;
    expect(timeline.stockMovements.map((m: { delta: number }) => m.delta)).toEqual([-4, 3]);
  });
});
