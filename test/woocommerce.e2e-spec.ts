import { createHmac } from 'node:crypto';
import { eventually } from './support/eventually.js';
import { createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { WooCommerceEmulator } from './woocommerce-emulator/emulator.js';

/**
 * WooCommerce stores as order sources, against the WooCommerce emulator over HTTP: connect, ping, webhooks
 * (duplicated, dropped, reordered, collapsed) and polling all end with POS stock equal to what the store's orders hold.
 */
describe('WooCommerce sources', () => {
  let ctx: ShopifyTestContext;
  let woo: WooCommerceEmulator;
  let businessId: string;
  let sourceId: string;
  const STORE = 'corner-shop';
  const products: Record<string, string> = {};
  const START = 200;

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    woo = await WooCommerceEmulator.start({ deliveryDelayMs: 150 });
    businessId = await createBusiness(ctx, 'Corner shop');
    for (const sku of ['W-A', 'W-B', 'W-C']) {
      products[sku] = (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '10.00', stock: START })).body.id as string;
    }
  });
  afterAll(async () => {
    await woo?.stop();
    await ctx?.close();
  });

  const store = () => woo.store(STORE);
  const stock = async (sku: string) => (await ctx.http.get(`/businesses/${businessId}/products/${products[sku]}`).set(bearer())).body.stock as number;
  /** POS stock equals what the store's orders hold, for every SKU. */
  const converged = async () =>
    eventually(async () => {
      const held = woo.heldBySku(STORE);
      for (const sku of Object.keys(products)) expect(`${sku}: ${await stock(sku)}`).toBe(`${sku}: ${START - (held[sku] ?? 0)}`);
    }, 20_000);
  const poll = async () => {
    const job = await ctx.http.post(`/ecommerce/sources/${sourceId}/poll`).set(bearer());
    expect(job.status).toBe(202);
    await eventually(async () => expect((await ctx.http.get(job.body.statusUrl).set(bearer())).body.state).toBe('completed'));
  };

  it('refuses keys the store refuses (422), a URL with no store (422) and a malformed body (400), storing nothing', async () => {
    const created = woo.createStore(STORE);
    const wrongKeys = await ctx.http.post('/ecommerce/sources/woocommerce').set(bearer()).send({ businessId, storeUrl: created.url, consumerKey: created.consumerKey, consumerSecret: 'cs_wrong' });
    expect(wrongKeys.status).toBe(422);
    expect(wrongKeys.body.message).toMatch(/consumer key or secret is wrong/);
    const noStore = await ctx.http.post('/ecommerce/sources/woocommerce').set(bearer()).send({ businessId, storeUrl: `${woo.baseUrl}/stores/nowhere`, consumerKey: 'ck', consumerSecret: 'cs' });
    expect(noStore.status).toBe(422);
    expect(noStore.body.message).toMatch(/no WooCommerce REST API at this store URL/);
    const malformed = await ctx.http.post('/ecommerce/sources/woocommerce').set(bearer()).send({ businessId, storeUrl: 'ftp://x', consumerKey: '' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/storeUrl must be an http\(s\) URL/);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_source')).rows[0].n).toBe(0);
  });

  it('connects: checks the keys, registers the four order webhooks (each ping answered 200), schedules polling', async () => {
    const { url, consumerKey, consumerSecret } = { ...store(), url: woo.storeUrl(STORE) };
    const res = await ctx.http.post('/ecommerce/sources/woocommerce').set(bearer()).send({ businessId, storeUrl: url, consumerKey, consumerSecret });
    expect(res.status).toBe(201);
    sourceId = res.body.id as string;
    expect(res.body).toMatchObject({ provider: 'woocommerce', status: 'active', name: new URL(url).host, webhookUrl: `${ctx.baseUrl}/ecommerce/webhooks/woocommerce/${sourceId}` });
    const webhooks = [...store().webhooks.values()];
    expect(webhooks.map((w) => w.topic).sort()).toEqual(['order.created', 'order.deleted', 'order.restored', 'order.updated']);
    await eventually(() => Promise.resolve(expect(webhooks.map((w) => w.pingStatus)).toEqual([200, 200, 200, 200])));
    const row = await ctx.db.query('SELECT credentials_sealed, webhook_secret_sealed FROM ecommerce_source WHERE id = $1', [sourceId]);
    expect(row.rows[0].credentials_sealed).not.toContain(consumerSecret);
    expect(row.rows[0].webhook_secret_sealed).not.toContain(webhooks[0].secret);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=connection`).set(bearer());
    expect(JSON.stringify(logs.body)).not.toContain(consumerSecret);
  });

  it('follows an order through edits, refunds, cancel, trash and restore, by webhook', async () => {
    const order = woo.createOrder(STORE, { lines: [{ sku: 'W-A', quantity: 4 }, { sku: 'W-B', quantity: 2 }] });
    await converged();
    woo.setQuantity(STORE, order.id, 'W-A', 3);
    await converged();
    woo.refund(STORE, order.id, [{ sku: 'W-A', quantity: 1 }]);
    await converged();
    expect(await stock('W-A')).toBe(START - 2);
    woo.setStatus(STORE, order.id, 'cancelled');
    await converged();
    expect(await stock('W-A')).toBe(START);
    woo.setStatus(STORE, order.id, 'processing');
    await converged();
    woo.trash(STORE, order.id);
    await converged();
    expect(await stock('W-B')).toBe(START);
    woo.restore(STORE, order.id);
    await converged();
    expect(await stock('W-B')).toBe(START - 2);

    const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${order.id}`).set(bearer());
    expect(list.body.items).toEqual([expect.objectContaining({ provider: 'woocommerce', sourceId, orderNumber: `#${order.id}` })]);
    const detail = await ctx.http.get(`/ecommerce/orders/${list.body.items[0].id}`).set(bearer());
    expect(detail.body.deliveries.map((d: { topic: string }) => d.topic)).toEqual(expect.arrayContaining(['source/woocommerce/created', 'source/woocommerce/deleted', 'source/woocommerce/restored']));
    expect(detail.body.logs.map((l: { message: string }) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^WooCommerce order #${order.id} ingested from (webhook|poll)`))]));
    // Replaying a delivery of a WooCommerce source goes through the same path and changes nothing.
    const created = detail.body.deliveries.find((d: { topic: string }) => d.topic === 'source/woocommerce/created');
    const replay = await ctx.http.post(`/ecommerce/webhooks/deliveries/${created.id}/replay`).set(bearer());
    expect(replay.status).toBe(202);
    await eventually(async () => expect((await ctx.http.get(replay.body.statusUrl).set(bearer())).body.state).toBe('completed'));
    await converged();
    const deliveries = await ctx.http.get(`/ecommerce/webhooks/deliveries?businessId=${businessId}`).set(bearer());
    expect(deliveries.body.items[0]).toMatchObject({ sourceId, topic: expect.stringMatching(/^source\/woocommerce\//) });
  });

  it('collapses quick updates into one delivery built at delivery time, and still ends exact', async () => {
    const order = woo.createOrder(STORE, { lines: [{ sku: 'W-C', quantity: 5 }] });
    await converged();
    const before = woo.deliveries.length;
    woo.setQuantity(STORE, order.id, 'W-C', 4);
    woo.setQuantity(STORE, order.id, 'W-C', 3);
    woo.setQuantity(STORE, order.id, 'W-C', 2);
    await converged();
    expect(woo.deliveries.length - before).toBe(1);
  });

  it('ignores a duplicated delivery and an older one arriving late; acknowledges before processing', async () => {
    const webhook = [...store().webhooks.values()].find((w) => w.topic === 'order.updated')!;
    const order = woo.createOrder(STORE, { lines: [{ sku: 'W-A', quantity: 2 }] });
    await converged();
    const old = JSON.stringify(woo.orderJson(order));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    woo.setQuantity(STORE, order.id, 'W-A', 1);
    await converged();
    const send = (body: string) =>
      fetch(`${ctx.baseUrl}/ecommerce/webhooks/woocommerce/${sourceId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.updated', 'x-wc-webhook-signature': createHmac('sha256', webhook.secret).update(body).digest('base64') },
        body,
      });
    const late = await send(old);
    expect(late.status).toBe(200);
    const current = JSON.stringify(woo.orderJson(order));
    const duplicates = await Promise.all(Array.from({ length: 5 }, () => send(current)));
    expect(duplicates.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await converged();
    const bad = await fetch(`${ctx.baseUrl}/ecommerce/webhooks/woocommerce/${sourceId}`, { method: 'POST', headers: { 'x-wc-webhook-topic': 'order.updated', 'x-wc-webhook-signature': 'AAAA' }, body: current });
    expect(bad.status).toBe(401);
  });

  it('recovers dropped webhooks by polling, with the cursor moved only when a poll succeeded', async () => {
    woo.injectFault({ store: STORE, target: 'webhook', kind: 'drop', count: 100 });
    const lost = woo.createOrder(STORE, { lines: [{ sku: 'W-B', quantity: 3 }] });
    woo.createOrder(STORE, { lines: [{ sku: 'W-C', quantity: 1 }] });
    await new Promise((resolve) => setTimeout(resolve, 400));
    woo.faults.length = 0;
    expect(await stock('W-B')).not.toBe(START - (woo.heldBySku(STORE)['W-B'] ?? 0));
    const cursor = async () => (await ctx.db.query('SELECT last_synced_at FROM ecommerce_source WHERE id = $1', [sourceId])).rows[0].last_synced_at as Date | null;
    // A store failing every try: the poll fails, says so, and keeps the cursor.
    const kept = await cursor();
    woo.injectFault({ store: STORE, target: 'rest', kind: 'status', status: 503, count: 20 });
    await poll();
    woo.faults.length = 0;
    expect(await cursor()).toEqual(kept);
    const failed = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=poll&status=failed`).set(bearer());
    expect(failed.body.items[0].message).toMatch(/did not complete.*503/);
    // 429 with Retry-After, then the store answers: the poll goes through.
    woo.injectFault({ store: STORE, target: 'rest', kind: 'status', status: 429, retryAfterSeconds: 1, count: 1 });
    await poll();
    await converged();
    expect((await cursor())!.getTime()).toBeGreaterThan(kept?.getTime() ?? 0);
    const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${lost.id}`).set(bearer());
    expect(list.body.items[0]).toMatchObject({ source: 'poll', provider: 'woocommerce' });
  });

  it('keeps a WooCommerce order and a Shopify order with the same number apart: both decrement', async () => {
    const shop = 'same-number.myshopify.com';
    ctx.emulator.createShop(shop);
    const start = await ctx.http.post('/ecommerce/connect').set(bearer()).send({ businessId, shop });
    const authorize = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
    await fetch(authorize.headers.get('location')!);
    const shopify = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'W-A', quantity: 1 }] });
    const before = await stock('W-A');
    const number = Number(shopify.name.slice(1));
    woo.createOrder(STORE, { id: number, lines: [{ sku: 'W-A', quantity: 1 }] });
    await eventually(async () => {
      const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${encodeURIComponent(shopify.name)}`).set(bearer());
      expect(list.body.items.map((o: { provider: string }) => o.provider).sort()).toEqual(['shopify', 'woocommerce']);
    });
    await eventually(async () => expect(await stock('W-A')).toBeLessThanOrEqual(before - 1));
    const sources = await ctx.http.get(`/ecommerce/sources?businessId=${businessId}`).set(bearer());
    expect(sources.body.map((s: { provider: string }) => s.provider)).toEqual(['shopify', 'woocommerce']);
  });

  it('disconnects: removes its webhooks from the store, stops polling, refuses its deliveries; its orders stay', async () => {
    const orders = (await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE connection_id = $1', [sourceId])).rows[0].n as number;
    expect((await ctx.http.delete(`/ecommerce/sources/${sourceId}`).set(bearer())).status).toBe(204);
    expect(store().webhooks.size).toBe(0);
    expect((await ctx.http.post(`/ecommerce/sources/${sourceId}/poll`).set(bearer())).status).toBe(409);
    const refused = await fetch(`${ctx.baseUrl}/ecommerce/webhooks/woocommerce/${sourceId}`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(404);
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE connection_id = $1', [sourceId])).rows[0].n).toBe(orders);
  });
});
