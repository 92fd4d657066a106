import { RetentionService } from '../src/ecommerce/housekeeping/retention.service.js';
import { randomUUID } from 'node:crypto';
import { orderPayload } from './shopify-emulator/emulator.js';
import { shopifyJson } from './shopify-emulator/state.js';
import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { sendWebhook } from './support/webhooks.js';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { WEBHOOKS_QUEUE } from '../src/ecommerce/webhooks/webhooks.constants.js';
import { DeliverySweeper } from '../src/ecommerce/webhooks/delivery-sweeper.service.js';
import { OrderIngestionService } from '../src/ecommerce/orders/order-ingestion.service.js';

describe('order ingestion', () => {
  let ctx: ShopifyTestContext;
  beforeAll(async () => {
    ctx = await startAppWithEmulator();
  });
  afterAll(() => ctx.close());

  let n = 0;
  /** A business connected to a fresh shop, with products A and B (stock 1000 each). */
  const setup = async () => {
    const shop = `orders-${++n}-${Date.now().toString(36)}.myshopify.com`;
    ctx.emulator.createShop(shop);
    const businessId = await createBusiness(ctx);
    const product = async (sku: string) =>
      (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '5.00', stock: 1000 })).body.id as string;
    const products = { A: await product('A'), B: await product('B') };
    const connected = await connectShop(ctx, businessId, shop);
    expect(connected.status).toBe(200);
    // The schedule's first poll runs at once; let it finish so each test starts from a quiet shop.
    await eventually(async () => expect((await ctx.db.query("SELECT 1 FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId])).rowCount).toBeGreaterThan(0));
    return { shop, businessId, products };
  };
  const stockOf = async (productId: string) => (await ctx.db.query('SELECT stock FROM product WHERE id = $1', [productId])).rows[0].stock as number;
  const ordersOf = async (businessId: string) => (await ctx.db.query('SELECT * FROM ecommerce_ingested_order WHERE business_id = $1', [businessId])).rows;
  const pollNow = async (businessId: string) => {
    const before = (await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId])).rows[0].n as number;
    const res = await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId });
    expect(res.status).toBe(202);
    await eventually(async () => {
      const after = (await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId])).rows[0].n as number;
      expect(after).toBeGreaterThan(before);
    }, 60_000);
    return (await ctx.db.query("SELECT * FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll' ORDER BY started_at DESC LIMIT 1", [businessId])).rows[0];
  };

  it('ingests a webhook order once, decrements stock, and lists it', async () => {
    const { shop, businessId, products } = await setup();
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 1 }] });
    await ctx.emulator.webhooks.idle();
    await eventually(async () => expect(await stockOf(products.A)).toBe(998));
    expect(await stockOf(products.B)).toBe(999);

    const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}`).set(bearer());
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      {
        id: expect.any(String),
        externalOrderId: String(order.id),
        orderNumber: order.name,
        source: 'webhook',
        sourceId: expect.any(String),
        provider: 'shopify',
        status: 'ingested',
        customerEmail: order.email,
        ingestedAt: expect.any(String),
        lines: [
          { sku: 'A', productId: products.A, quantity: 2, currentQuantity: 2 },
          { sku: 'B', productId: products.B, quantity: 1, currentQuantity: 1 },
        ],
      },
    ]);
    // orders/create and orders/paid both arrived; one order, one decrement per line.
    const deliveries = await ctx.db.query("SELECT topic, status FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND topic LIKE 'orders/%' ORDER BY topic", [shop]);
    expect(deliveries.rows).toEqual([{ topic: 'orders/create', status: 'processed' }, { topic: 'orders/paid', status: 'processed' }]);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=order`).set(bearer());
    expect(logs.body.items).toHaveLength(1);
    expect(logs.body.items[0]).toMatchObject({ status: 'success', processed: 2, failed: 0 });
  });

  it('an edit, a refund with restock, one without, and a cancellation without restock: stock, the list and the timeline follow', async () => {
    const { shop, businessId, products } = await setup();
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 5 }, { sku: 'B', quantity: 2 }] });
    const [lineA, lineB] = order.lineItems;
    await eventually(async () => expect(await stockOf(products.A)).toBe(995));
    ctx.emulator.editOrder(shop, order.id, { set: [{ lineItemId: lineA.id, quantity: 2 }] });
    await eventually(async () => expect(await stockOf(products.A)).toBe(998));
    ctx.emulator.refundOrder(shop, order.id, { lines: [{ lineItemId: lineA.id, quantity: 1, restockType: 'return' }] });
    ctx.emulator.refundOrder(shop, order.id, { lines: [{ lineItemId: lineB.id, quantity: 1, restockType: 'no_restock' }] });
    await eventually(async () => expect(await stockOf(products.A)).toBe(999));
    ctx.emulator.updateOrder(shop, order.id, { cancel: true, restock: false });
    await ctx.emulator.webhooks.idle();
    await eventually(async () => expect((await ordersOf(businessId))[0].status).toBe('cancelled'));
    expect(await stockOf(products.A)).toBe(999);
    expect(await stockOf(products.B)).toBe(998);
    expect(ctx.emulator.heldBySku(shop)).toEqual({ A: 1, B: 2 });

    const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}`).set(bearer());
    expect(list.body.items[0].lines).toEqual([
      { sku: 'A', productId: products.A, quantity: 5, currentQuantity: 0 },
      { sku: 'B', productId: products.B, quantity: 2, currentQuantity: 0 },
    ]);
    const timeline = (await ctx.http.get(`/ecommerce/orders/${list.body.items[0].id}`).set(bearer())).body;
    expect(timeline.refunds).toHaveLength(3);
    expect(timeline.stockMovements.map((m: { delta: number }) => m.delta).reduce((a: number, b: number) => a + b, 0)).toBe(-3);
    expect(timeline.deliveries.map((d: { topic: string }) => d.topic)).toEqual(expect.arrayContaining(['orders/edited', 'refunds/create', 'orders/cancelled']));
    expect(timeline.logs.map((l: { message: string }) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(/edited .*line A 5 -> 2, 3 returned to stock/)]));
    // The poll sees the same order and moves nothing.
    await pollNow(businessId);
    expect(await stockOf(products.A)).toBe(999);
  });

  it('50 concurrent deliveries of one order plus a poll: one order, stock decremented once', async () => {
    const { shop, businessId, products } = await setup();
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 3 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    const body = shopifyJson(orderPayload(order));
    const answers = await Promise.all([
      ...Array.from({ length: 50 }, () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body })),
      pollNow(businessId),
    ]);
    expect(answers.slice(0, 50).map((a) => (a as { status: number }).status)).toEqual(Array(50).fill(200));
    await eventually(async () => {
      const pending = await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND status = 'received'", [shop]);
      expect(pending.rows[0].n).toBe(0);
    });
    expect(await ordersOf(businessId)).toHaveLength(1);
    expect(await stockOf(products.A)).toBe(997);
    const movements = await ctx.db.query("SELECT count(*)::int AS n FROM stock_movement WHERE product_id = $1 AND reason = 'online_order'", [products.A]);
    expect(movements.rows[0].n).toBe(1);
  });

  it('stores the same webhook id delivered 20 times concurrently once', async () => {
    const { shop } = await setup();
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'B', quantity: 1 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    const webhookId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: shopifyJson(orderPayload(order)), webhookId })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.every((a) => a.body.ok === true)).toBe(true);
    const rows = await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND webhook_id = $2', [shop, webhookId]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('recovers every order by polling when every webhook is dropped', async () => {
    const { shop, businessId, products } = await setup();
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    for (let i = 0; i < 30; i++) ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    expect(await ordersOf(businessId)).toHaveLength(0);
    const log = await pollNow(businessId);
    expect(log).toMatchObject({ status: 'success', processed: 30 });
    expect(log.details).toMatchObject({ ingested: 30, duplicates: 0 });
    const orders = await ordersOf(businessId);
    expect(orders).toHaveLength(30);
    expect(orders.every((o: { source: string }) => o.source === 'poll')).toBe(true);
    expect(await stockOf(products.A)).toBe(970);
    const connection = await ctx.db.query('SELECT last_synced_at FROM ecommerce_connection WHERE business_id = $1', [businessId]);
    expect(connection.rows[0].last_synced_at).not.toBeNull();

    const again = await pollNow(businessId);
    expect(again.details).toMatchObject({ ingested: 0, duplicates: 30 });
    expect(await stockOf(products.A)).toBe(970);
  });

  it('ends right when deliveries arrive reordered and duplicated, with cancellations', async () => {
    const { shop, businessId, products } = await setup();
    ctx.emulator.setWebhookBehaviour({ reorderWindowMs: 300, duplicates: 1, duplicatesKeepWebhookId: false });
    try {
      const orders = Array.from({ length: 10 }, () => ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }] }));
      for (const order of orders.slice(0, 4)) ctx.emulator.updateOrder(shop, order.id, { cancel: true });
      await ctx.emulator.webhooks.idle();
    } finally {
      ctx.emulator.setWebhookBehaviour({ reorderWindowMs: 0, duplicates: 0 });
    }
    await eventually(async () => {
      const rows = await ordersOf(businessId);
      expect(rows).toHaveLength(10);
      expect(rows.filter((o: { status: string }) => o.status === 'cancelled')).toHaveLength(4);
      expect(await stockOf(products.A)).toBe(1000 - 6);
      expect(await stockOf(products.B)).toBe(1000 - 12);
    });
  });

  it('a cancel before the create ends cancelled with no net stock change; a stale update changes nothing', async () => {
    const { shop, businessId, products } = await setup();
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 5 }] });
    const created = shopifyJson(orderPayload(order));
    ctx.emulator.updateOrder(shop, order.id, { cancel: true });
    const cancelled = shopifyJson(orderPayload(order));
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });

    expect((await sendWebhook(ctx.baseUrl, { topic: 'orders/cancelled', shop, body: cancelled })).status).toBe(200);
    await eventually(async () => expect((await ordersOf(businessId))[0]?.status).toBe('cancelled'));
    expect((await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: created })).status).toBe(200);
    await eventually(async () => {
      const deliveries = await ctx.db.query("SELECT status FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND topic = 'orders/create'", [shop]);
      expect(deliveries.rows[0].status).toBe('processed');
    });
    expect((await ordersOf(businessId))[0].status).toBe('cancelled');
    expect(await stockOf(products.A)).toBe(1000);
  });

  it('ingests an orders/updated for an order never seen, once', async () => {
    const { shop, businessId, products } = await setup();
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'B', quantity: 4 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    const body = shopifyJson(orderPayload(order));
    await Promise.all([1, 2, 3].map(() => sendWebhook(ctx.baseUrl, { topic: 'orders/updated', shop, body })));
    await eventually(async () => expect(await stockOf(products.B)).toBe(996));
    expect(await ordersOf(businessId)).toHaveLength(1);
  });

  it('keeps unmatched lines and logs the order as partial, applying the matched ones', async () => {
    const { shop, businessId, products } = await setup();
    ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }, { sku: 'NOPE', quantity: 1 }] });
    await eventually(async () => expect(await stockOf(products.A)).toBe(999));
    const [order] = await ordersOf(businessId);
    expect(order.lines.map((l: { sku: string; productId: string | null }) => [l.sku, l.productId])).toEqual([['A', products.A], ['NOPE', null]]);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=order`).set(bearer());
    expect(logs.body.items[0]).toMatchObject({ status: 'partial', processed: 1, failed: 1 });
    expect(logs.body.items[0].message).toContain('NOPE');
  });

  it('acknowledges deliveries while the queue is down, then the sweeper processes them', async () => {
    const { shop, businessId, products } = await setup();
    const queue = ctx.app.get<Queue>(getQueueToken(WEBHOOKS_QUEUE), { strict: false });
    const original = queue.addBulk.bind(queue);
    queue.addBulk = () => Promise.reject(new Error('Connection is closed.'));
    try {
      for (let i = 0; i < 5; i++) ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'B', quantity: 1 }] });
      await ctx.emulator.webhooks.idle();
      const delivered = ctx.emulator.webhooks.deliveries.filter((d) => d.shop === shop && d.topic === 'orders/create');
      expect(delivered.map((d) => d.lastStatus)).toEqual(Array(5).fill(200));
      const waiting = await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND status = 'received'", [shop]);
      expect(waiting.rows[0].n).toBe(10);
    } finally {
      queue.addBulk = original;
    }
    expect(await ctx.app.get(DeliverySweeper).sweep(0)).toBeGreaterThanOrEqual(10);
    await eventually(async () => expect(await stockOf(products.B)).toBe(995));
    expect(await ordersOf(businessId)).toHaveLength(5);
  });

  it('rolls back an ingestion that dies before commit, and the retry ingests once', async () => {
    const { shop, businessId, products } = await setup();
    const ingestion = ctx.app.get(OrderIngestionService);
    let crashes = 0;
    ingestion.beforeCommit = () => {
      if (crashes++ === 0) throw new Error('worker killed mid-ingestion');
    };
    try {
      ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
      const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 7 }] });
      ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
      await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: shopifyJson(orderPayload(order)) });
      await eventually(async () => expect(await stockOf(products.A)).toBe(993));
    } finally {
      ingestion.beforeCommit = null;
    }
    expect(crashes).toBeGreaterThanOrEqual(2);
    expect(await ordersOf(businessId)).toHaveLength(1);
    const delivery = await ctx.db.query("SELECT status, attempts FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND topic = 'orders/create'", [shop]);
    expect(delivery.rows[0]).toMatchObject({ status: 'processed', attempts: 2 });
  });

  it('finds orders by number (with or without #), by the shop\'s order id and by SKU', async () => {
    const { shop, businessId } = await setup();
    const first = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    const second = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'B', quantity: 1 }, { sku: 'RARE-9', quantity: 1 }] });
    await eventually(async () => expect(await ordersOf(businessId)).toHaveLength(2));
    const find = async (q: string) =>
      ((await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${encodeURIComponent(q)}`).set(bearer())).body.items as Array<{ orderNumber: string }>).map((o) => o.orderNumber);
    expect(await find(second.name)).toEqual([second.name]);
    expect(await find(second.name.slice(1))).toEqual([second.name]);
    expect(await find(String(first.id))).toEqual([first.name]);
    expect(await find('RARE-9')).toEqual([second.name]);
    expect(await find('NOTHING')).toEqual([]);
    expect((await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=`).set(bearer())).status).toBe(400);
  });

  it("finds orders by the buyer's e-mail in any case, from webhooks and polls alike, until customers/redact erases it", async () => {
    const { shop, businessId } = await setup();
    const byWebhook = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }], email: 'Ada.Lovelace@Example.com' });
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    const byPoll = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'B', quantity: 1 }], email: 'ada.lovelace@example.com' });
    const other = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'B', quantity: 1 }], email: 'grace@example.com' });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId });
    await eventually(async () => expect(await ordersOf(businessId)).toHaveLength(3));
    const find = async (q: string) =>
      ((await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${encodeURIComponent(q)}`).set(bearer())).body.items as Array<{ orderNumber: string; customerEmail: string }>)
        .map((o) => `${o.orderNumber} ${o.customerEmail}`)
        .sort();
    expect(await find('ADA.LOVELACE@example.com')).toEqual([`${byWebhook.name} ada.lovelace@example.com`, `${byPoll.name} ada.lovelace@example.com`]);
    expect(await find(' grace@example.com ')).toEqual([`${other.name} grace@example.com`]);

    // Shopify names the customer's orders and e-mail; both ways of matching erase it.
    const body = JSON.stringify({ shop_domain: shop, customer: { id: 7, email: 'ada.lovelace@example.com' }, orders_to_redact: [String(other.id)] });
    expect((await sendWebhook(ctx.baseUrl, { topic: 'customers/redact', shop, body })).status).toBe(200);
    await eventually(async () => expect(await find('ada.lovelace@example.com')).toEqual([]));
    const log = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=webhook`).set(bearer());
    expect(log.body.items.map((l: { message: string }) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(/and the e-mail on 3 ingested orders$/)]));
    expect(await find('grace@example.com')).toEqual([]);
    const emails = await ctx.db.query('SELECT count(customer_email)::int AS n, count(*)::int AS orders FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
    expect(emails.rows[0]).toEqual({ n: 0, orders: 3 });
  });

  it('runs two simultaneous poll requests as one poll', async () => {
    const { businessId } = await setup();
    const [first, second] = await Promise.all([
      ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId }),
      ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId }),
    ]);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(first.body.jobId).toBe(second.body.jobId);
    const job = await eventually(async () => {
      const answer = await ctx.http.get(first.body.statusUrl).set(bearer());
      expect(answer.body.state).toBe('completed');
      return answer.body;
    });
    expect(job).toMatchObject({ queue: 'ecommerce-polling', result: { status: 'success' }, logs: [expect.objectContaining({ type: 'poll', status: 'success' })] });
    // Once finished, asking again starts a new poll.
    const third = await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId });
    expect(third.body.jobId).not.toBe(first.body.jobId);
  });

  it('answers 404 and 409 for polls of businesses without an active connection', async () => {
    const businessId = await createBusiness(ctx);
    expect((await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId })).status).toBe(404);
    expect((await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId: 'x' })).status).toBe(400);
  });

  describe('bad input on the webhook endpoint', () => {
    let shop: string;
    beforeAll(async () => {
      shop = (await setup()).shop;
    });
    const body = JSON.stringify({ id: 1, admin_graphql_api_id: 'gid://shopify/Order/1', updated_at: '2026-01-01T00:00:00Z', line_items: [] });
    const stored = async (webhookId: string) =>
      (await ctx.db.query('SELECT status, last_error FROM ecommerce_webhook_delivery WHERE webhook_id = $1', [webhookId])).rows;

    it.each([
      ['a bad signature', { secret: 'not-the-secret' }],
      ['no signature', { headers: { 'x-shopify-hmac-sha256': undefined } }],
      ['no topic', { headers: { 'x-shopify-topic': undefined } }],
      ['no shop domain', { headers: { 'x-shopify-shop-domain': undefined } }],
      ['no webhook id', { headers: { 'x-shopify-webhook-id': undefined } }],
    ])('%s: 401, nothing stored', async (_label, change) => {
      const webhookId = randomUUID();
      const res = await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body, webhookId, ...change });
      expect(res.status).toBe(401);
      expect(await stored(webhookId)).toHaveLength(0);
    });

    it.each([
      ['a non-JSON body with a valid signature', 'orders/create', () => shop, 'this is not json', /malformed payload/],
      ['an unknown topic', 'carts/create', () => shop, body, /unknown topic/],
    ])('%s: stored, 200 {ok: false, reason}, and logged', async (_label, topic, shopOf, payload, reason) => {
      const webhookId = randomUUID();
      const res = await sendWebhook(ctx.baseUrl, { topic, shop: shopOf(), body: payload, webhookId });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: false, reason: expect.stringMatching(reason) });
      expect(await stored(webhookId)).toEqual([{ status: 'failed', last_error: expect.stringMatching(reason) }]);
      const logs = await ctx.db.query("SELECT status FROM ecommerce_sync_log WHERE type = 'webhook' AND details->>'webhookId' = $1", [webhookId]);
      expect(logs.rows).toEqual([{ status: 'failed' }]);
    });

    it('signed deliveries for an unknown shop: one row per shop and topic counts them, without payload, one sync log; retention deletes it', async () => {
      const unknown = `nobody-${randomUUID().slice(0, 8)}.myshopify.com`;
      for (let i = 0; i < 25; i++) {
        const res = await sendWebhook(ctx.baseUrl, { topic: i % 5 === 0 ? 'orders/updated' : 'orders/create', shop: unknown, body, webhookId: randomUUID() });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: false, reason: expect.stringMatching(/unknown shop/) });
      }
      const rows = await ctx.db.query('SELECT topic, attempts, payload, status FROM ecommerce_webhook_delivery WHERE shop_domain = $1 ORDER BY topic', [unknown]);
      expect(rows.rows).toEqual([
        { topic: 'orders/create', attempts: 20, payload: null, status: 'failed' },
        { topic: 'orders/updated', attempts: 5, payload: null, status: 'failed' },
      ]);
      const logs = await ctx.db.query("SELECT status FROM ecommerce_sync_log WHERE type = 'webhook' AND details->>'shop' = $1", [unknown]);
      expect(logs.rows).toEqual([{ status: 'failed' }, { status: 'failed' }]);
      await ctx.db.query("UPDATE ecommerce_webhook_delivery SET received_at = now() - interval '30 days' WHERE shop_domain = $1", [unknown]);
      await ctx.app.get(RetentionService, { strict: false }).run();
      expect((await ctx.db.query('SELECT 1 FROM ecommerce_webhook_delivery WHERE shop_domain = $1', [unknown])).rowCount).toBe(0);
    });

    it('a malformed order (no line items): the delivery fails with the reason and a log, without retries', async () => {
      const webhookId = randomUUID();
      const res = await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: JSON.stringify({ id: 5 }), webhookId });
      expect(res.body).toEqual({ ok: true });
      await eventually(async () => expect(await stored(webhookId)).toEqual([{ status: 'failed', last_error: expect.stringMatching(/line_items/) }]));
    });

    it('an 11 MB body: 413, nothing stored', async () => {
      const webhookId = randomUUID();
      const big = JSON.stringify({ id: 1, padding: 'x'.repeat(11 * 1024 * 1024) });
      const res = await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: big, webhookId });
      expect(res.status).toBe(413);
      expect(await stored(webhookId)).toHaveLength(0);
    });
  });
});
