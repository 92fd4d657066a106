import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import type { Order } from './shopify-emulator/state.js';

/**
 * An order's fate back to Shopify, end to end through HTTP: fulfil with tracking, mark paid, cancel (with and
 * without restock), against the emulator's fulfillment orders, jobs and webhooks.
 */
describe('status back to the shop', () => {
  let ctx: ShopifyTestContext;
  beforeAll(async () => {
    ctx = await startAppWithEmulator();
  });
  afterAll(() => ctx.close());
  afterEach(() => {
    ctx.emulator.setWebhookBehaviour({ duplicates: 0, duplicatesKeepWebhookId: true, reorderWindowMs: 0, dropRate: 0, dropNext: 0 });
    ctx.emulator.faults.length = 0;
  });

  let n = 0;
  const setup = async (options: { scopes?: string } = {}) => {
    const shop = `status-${++n}-${Date.now().toString(36)}.myshopify.com`;
    ctx.emulator.createShop(shop);
    const businessId = await createBusiness(ctx);
    const product = async (sku: string) => (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '5.00', stock: 100 })).body.id as string;
    const products = { A: await product('A'), B: await product('B') };
    if (options.scopes) ctx.config.shopify.scopes = options.scopes.split(',');
    try {
      expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    } finally {
      ctx.config.shopify.scopes = DEFAULT_SCOPES;
    }
    await eventually(async () => expect((await ctx.db.query("SELECT 1 FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId])).rowCount).toBeGreaterThan(0));
    return { shop, businessId, products };
  };
  let DEFAULT_SCOPES: string[];
  beforeAll(() => {
    DEFAULT_SCOPES = [...ctx.config.shopify.scopes];
  });

  const stockOf = async (productId: string) => (await ctx.db.query('SELECT stock FROM product WHERE id = $1', [productId])).rows[0].stock as number;
  /** Places an order in the shop and waits until the POS has it; answers our id of it. */
  const place = async (shop: string, businessId: string, lineItems: Array<{ sku: string; quantity: number; locationId?: number }>, financialStatus: Order['financialStatus'] = 'paid') => {
    const order = ctx.emulator.createOrder(shop, { lineItems, financialStatus });
    const id = await eventually(async () => {
      const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${encodeURIComponent(order.name)}`).set(bearer());
      expect(list.body.items).toHaveLength(1);
      return list.body.items[0].id as string;
    });
    return { order, id };
  };
  const detail = async (id: string) => (await ctx.http.get(`/ecommerce/orders/${id}`).set(bearer())).body;
  const settled = (id: string, requestId: string, status = 'done') =>
    eventually(async () => {
      const request = (await detail(id)).statusRequests.find((r: { id: string }) => r.id === requestId);
      expect(request?.status).toBe(status);
      return request;
    }, 60_000);

  it('fulfils the whole order with tracking: the shop shows the fulfillment and its tracking, the POS the order fulfilled', async () => {
    const { shop, businessId, products } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 1 }]);
    const res = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingCompany: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784', notifyCustomer: true });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ requestId: expect.any(String), status: 'pending', duplicate: false, orderUrl: `/ecommerce/orders/${id}` });
    const request = await settled(id, res.body.requestId);
    expect(request.attempts).toBe(1);
    expect(request.result.fulfillments[0].trackingInfo).toEqual([{ company: 'UPS', number: '1Z999AA10123456784', url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' }]);

    const inShop = ctx.emulator.shop(shop).orders.get(order.id)!;
    expect(inShop.fulfillments).toHaveLength(1);
    expect(inShop.fulfillments[0]).toMatchObject({ notifyCustomer: true, tracking: { company: 'UPS', number: '1Z999AA10123456784' } });
    expect(inShop.lineItems.map((l) => l.fulfilledQuantity)).toEqual([2, 1]);
    await eventually(async () => expect((await detail(id)).fulfillmentStatus).toBe('fulfilled'));
    // Fulfilling moves no stock: the units left the POS when the order was placed.
    expect(await stockOf(products.A)).toBe(98);
    expect(await stockOf(products.B)).toBe(99);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=status_sync`).set(bearer());
    expect(logs.body.items[0]).toMatchObject({ status: 'success', direction: 'outbound', message: expect.stringMatching(/fulfilment of order #\d+ reached the shop: fulfilled every line left, tracking UPS 1Z999AA10123456784/) });

    expect((await ctx.http.get('/metrics')).text).toMatch(/ecommerce_status_attempts_total\{action="fulfillment",outcome="done"\} [1-9]/);

    const again = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingNumber: 'OTHER' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('the order is already fully fulfilled');
  });

  it('fulfils some lines across two locations: one fulfillment per location, within what each has left', async () => {
    const { shop, businessId } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 3, locationId: 1 }, { sku: 'B', quantity: 2, locationId: 2 }]);
    const first = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingNumber: 'T-1', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }] });
    expect(first.status).toBe(202);
    const done = await settled(id, first.body.requestId);
    expect(done.result.fulfillments).toHaveLength(2);
    const inShop = ctx.emulator.shop(shop).orders.get(order.id)!;
    expect(inShop.fulfillments.map((f) => [f.locationId, f.lines.map((l) => l.quantity)])).toEqual([
      [1, [1]],
      [2, [2]],
    ]);
    await eventually(async () => expect((await detail(id)).fulfillmentStatus).toBe('partial'));
    expect((await detail(id)).lines.map((l: { unfulfilledQuantity: number }) => l.unfulfilledQuantity)).toEqual([2, 0]);

    const tooMany = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ lines: [{ sku: 'A', quantity: 3 }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.message).toBe('only 2 of A are left to fulfil, 3 asked');
    const unknown = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/lines\.0: SKU NOPE is not a line of this order/);

    // A fulfillment order on hold is not fulfilled; the request fails with Shopify's state in plain words.
    ctx.emulator.shop(shop).orders.get(order.id)!.heldLocations = [1];
    const held = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({});
    const failed = await settled(id, held.body.requestId, 'failed');
    expect(failed.lastError).toBe('nothing can be fulfilled now: the fulfillment orders left are ON_HOLD');
    ctx.emulator.shop(shop).orders.get(order.id)!.heldLocations = [];

    const rest = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({});
    await settled(id, rest.body.requestId);
    expect(inShop.lineItems.map((l) => l.fulfilledQuantity)).toEqual([3, 2]);
    await eventually(async () => expect((await detail(id)).fulfillmentStatus).toBe('fulfilled'));
    const cancel = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'customer', restock: true });
    expect(cancel.status).toBe(409);
    expect(cancel.body.message).toBe('fulfilled orders cannot be cancelled: the order is fulfilled in the shop');
  });

  it('marks an unpaid order paid; a paid one answers 409 with nothing outstanding', async () => {
    const { shop, businessId } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 1 }], 'pending');
    const res = await ctx.http.post(`/ecommerce/orders/${id}/mark-paid`).set(bearer()).send({});
    expect(res.status).toBe(202);
    const request = await settled(id, res.body.requestId);
    expect(request.result).toEqual({ financialStatus: 'PAID' });
    expect(ctx.emulator.shop(shop).orders.get(order.id)!.financialStatus).toBe('paid');
    await eventually(async () => expect((await detail(id)).financialStatus).toBe('paid'));
    // Sent again within the minute, it is the same request; a paid order has nothing outstanding.
    const again = await ctx.http.post(`/ecommerce/orders/${id}/mark-paid`).set(bearer()).send({});
    expect(again.body).toMatchObject({ requestId: res.body.requestId, status: 'done', duplicate: true });
    const paid = await place(shop, businessId, [{ sku: 'A', quantity: 1 }], 'paid');
    const refused = await ctx.http.post(`/ecommerce/orders/${paid.id}/mark-paid`).set(bearer()).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('nothing outstanding to pay: the order is paid');
  });

  it.each([
    { restock: true, stockAfter: 100 },
    { restock: false, stockAfter: 97 },
  ])('cancels with restock $restock: POS stock ends at $stockAfter after the echo webhooks, duplicated and reordered', async ({ restock, stockAfter }) => {
    const { shop, businessId, products } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 3 }]);
    await eventually(async () => expect(await stockOf(products.A)).toBe(97));
    ctx.emulator.setWebhookBehaviour({ duplicates: 2, duplicatesKeepWebhookId: false, reorderWindowMs: 300 });
    const res = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'inventory', restock, notifyCustomer: false, staffNote: 'Out of stock' });
    expect(res.status).toBe(202);
    const request = await settled(id, res.body.requestId);
    expect(request.history.map((a: { outcome: string }) => a.outcome)).toEqual(expect.arrayContaining(['waiting', 'done']));
    const inShop = ctx.emulator.shop(shop).orders.get(order.id)!;
    expect(inShop.cancelledAt).not.toBeNull();
    expect(inShop.refunds[0].lines[0].restockType).toBe(restock ? 'cancel' : 'no_restock');
    await ctx.emulator.webhooks.idle();
    await eventually(async () => {
      const echoes = await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND topic IN ('orders/cancelled', 'refunds/create') AND status = 'processed'", [shop]);
      expect(echoes.rows[0].n).toBe(6);
    });
    expect(await stockOf(products.A)).toBe(stockAfter);
    const movements = (await detail(id)).stockMovements as Array<{ delta: number }>;
    expect(movements.map((m) => m.delta)).toEqual(restock ? [-3, 3] : [-3]);
    expect((await detail(id)).status).toBe('cancelled');
    const twice = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'inventory', restock });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('the order is already cancelled');
  });

  it('a cancellation started in Shopify while ours is on its way: stock returns once, ours fails with Shopify’s reason', async () => {
    const { shop, businessId, products } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'B', quantity: 4 }]);
    await eventually(async () => expect(await stockOf(products.B)).toBe(96));
    // The merchant cancels in the Shopify admin the moment our request is stored.
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'slow', delayMs: 300, count: 1 });
    const res = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'customer', restock: true });
    expect(res.status).toBe(202);
    ctx.emulator.updateOrder(shop, order.id, { cancel: true, restock: true });
    const request = await settled(id, res.body.requestId, 'failed');
    expect(request.lastError).toBe('Shopify refused: Order has already been cancelled');
    await ctx.emulator.webhooks.idle();
    await eventually(async () => expect(await stockOf(products.B)).toBe(100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stockOf(products.B)).toBe(100);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=status_sync&status=failed`).set(bearer());
    expect(logs.body.items[0].message).toMatch(/cancellation of order #\d+ failed: Shopify refused: Order has already been cancelled/);
  });

  it('two identical requests are one: the same Idempotency-Key, or the same body within a minute, even sent at once', async () => {
    const { shop, businessId } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 5 }]);
    const body = { trackingNumber: 'SAME-1', lines: [{ sku: 'A', quantity: 1 }] };
    const racing = await Promise.all(Array.from({ length: 5 }, () => ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send(body)));
    expect(racing.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(racing.map((r) => r.body.requestId)).size).toBe(1);
    expect(racing.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    await settled(id, racing[0].body.requestId);

    const keyed = await Promise.all(Array.from({ length: 3 }, () => ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set({ ...bearer(), 'idempotency-key': 'erp-shipment-77' }).send({ trackingNumber: 'SAME-2', lines: [{ sku: 'A', quantity: 2 }] })));
    expect(new Set(keyed.map((r) => r.body.requestId)).size).toBe(1);
    await settled(id, keyed[0].body.requestId);
    const reused = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set({ ...bearer(), 'idempotency-key': 'erp-shipment-77' }).send({ trackingNumber: 'OTHER' });
    expect(reused.status).toBe(422);
    expect(reused.body.message).toMatch(/Idempotency-Key erp-shipment-77 was already used for another request/);
    expect(ctx.emulator.shop(shop).orders.get(order.id)!.fulfillments.map((f) => f.tracking?.number)).toEqual(['SAME-1', 'SAME-2']);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_status_request WHERE order_id = $1', [id])).rows[0].n).toBe(2);
  });

  it('a spell of 503s converges: the request is retried after the client gives up, checks what the shop has, and fulfils once', async () => {
    const { shop, businessId } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 1 }]);
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 503, count: 7 });
    const res = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingNumber: 'SPELL-1' });
    const request = await settled(id, res.body.requestId);
    expect(request.attempts).toBe(2);
    expect(request.history[0]).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/HTTP 503/) });
    expect(ctx.emulator.shop(shop).orders.get(order.id)!.fulfillments).toHaveLength(1);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=status_sync&status=failed`).set(bearer());
    expect(logs.body.items[0].message).toMatch(/did not reach the shop \(attempt 1 of 7\): .*HTTP 503.*Tried again in 2 s/);
  });

  it('a drained cost bucket (THROTTLED) is waited out within one attempt', async () => {
    const { shop, businessId } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 1 }], 'pending');
    const bucket = ctx.emulator.shop(shop).bucket;
    const throttledBefore = ctx.emulator.stats.graphqlThrottled;
    bucket.take(bucket.status().currentlyAvailable);
    const res = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingNumber: 'SLOW-1' });
    const request = await settled(id, res.body.requestId);
    expect(request.attempts).toBe(1);
    expect(ctx.emulator.stats.graphqlThrottled).toBeGreaterThan(throttledBefore);
    expect(ctx.emulator.shop(shop).orders.get(order.id)!.fulfillments).toHaveLength(1);
  });

  it('a fulfilment the shop applied but whose answer was lost is not applied again on the retry', async () => {
    const { shop, businessId } = await setup();
    const { order, id } = await place(shop, businessId, [{ sku: 'A', quantity: 4 }]);
    // The shop applies the fulfilment and the answer is lost: the emulator drops the connection after executing.
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'lost_answer', field: 'fulfillmentCreate', count: 1 });
    const res = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingNumber: 'ONCE-1', lines: [{ sku: 'A', quantity: 1 }] });
    expect(res.status).toBe(202);
    const request = await settled(id, res.body.requestId);
    expect(request.history.map((a: { outcome: string }) => a.outcome)).toEqual(['retry', 'done']);
    expect(request.history[1].answer.alreadyApplied).toHaveLength(1);
    const inShop = ctx.emulator.shop(shop).orders.get(order.id)!;
    expect(inShop.fulfillments).toHaveLength(1);
    expect(inShop.lineItems[0].fulfilledQuantity).toBe(1);
  });

  it('an old connection without the new scopes is refused with what to grant, flagged in the status, until it reconnects', async () => {
    const { shop, businessId } = await setup({ scopes: 'read_orders,read_products,write_products,read_inventory,write_inventory,read_locations' });
    const { id } = await place(shop, businessId, [{ sku: 'A', quantity: 1 }], 'pending');
    const cancel = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'customer', restock: true });
    expect(cancel.status).toBe(409);
    expect(cancel.body.message).toMatch(/^reconnect the shop to grant write_orders/);
    const fulfil = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({});
    expect(fulfil.status).toBe(409);
    expect(fulfil.body.message).toMatch(/^reconnect the shop to grant write_merchant_managed_fulfillment_orders/);
    const status = await ctx.http.get(`/ecommerce/status?businessId=${businessId}`).set(bearer());
    expect(status.body.flags).toEqual(expect.arrayContaining([{ item: 'status_sync', reason: expect.stringMatching(/made without write_merchant_managed_fulfillment_orders, write_orders: .*Reconnect the shop/) }]));
    expect(status.body.statusSync.missingScopes).toEqual(['write_merchant_managed_fulfillment_orders', 'write_orders']);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_status_request WHERE order_id = $1', [id])).rows[0].n).toBe(0);

    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    const after = await ctx.http.get(`/ecommerce/status?businessId=${businessId}`).set(bearer());
    expect(after.body.flags.map((f: { item: string }) => f.item)).not.toContain('status_sync');
    expect((await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer())).body.scopes).toContain('write_orders');
    const paid = await ctx.http.post(`/ecommerce/orders/${id}/mark-paid`).set(bearer()).send({});
    expect(paid.status).toBe(202);
    await settled(id, paid.body.requestId);
  });

  it('answers 404 for an unknown order, 400 naming a bad field, and 403 to a support key', async () => {
    const { shop, businessId } = await setup();
    const { id } = await place(shop, businessId, [{ sku: 'A', quantity: 1 }]);
    expect((await ctx.http.post('/ecommerce/orders/00000000-0000-4000-8000-000000000000/mark-paid').set(bearer()).send({})).status).toBe(404);
    const badReason = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'bored', restock: true });
    expect(badReason.status).toBe(400);
    expect(JSON.stringify(badReason.body)).toMatch(/reason must be one of customer, declined, fraud, inventory, other, staff/);
    const noRestock = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'customer' });
    expect(noRestock.status).toBe(400);
    expect(JSON.stringify(noRestock.body)).toMatch(/restock/);
    const urlOnly = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingUrl: 'https://track.example.com/1' });
    expect(urlOnly.status).toBe(400);
    expect(urlOnly.body.message).toMatch(/trackingUrl needs trackingNumber/);
    const zero = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ lines: [{ sku: 'A', quantity: 0 }] });
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body)).toMatch(/lines\.0\.quantity/);
    const extra = await ctx.http.post(`/ecommerce/orders/${id}/mark-paid`).set(bearer()).send({ amount: '5.00' });
    expect(extra.status).toBe(400);
    const support = (await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'support desk', role: 'support' })).body.key as string;
    expect((await ctx.http.post(`/ecommerce/orders/${id}/mark-paid`).set(bearer(support)).send({})).status).toBe(403);
    const operator = (await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'erp', role: 'operator' })).body.key as string;
    expect((await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer(operator)).send({ trackingNumber: 'OP-1' })).status).toBe(202);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_status_request WHERE order_id = $1', [id])).rows[0].n).toBe(1);
  });
});
