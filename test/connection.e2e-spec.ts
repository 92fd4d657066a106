import { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../src/config/app-config.js';
import { ConnectionSchedules } from '../src/ecommerce/connection/connection-schedules.service.js';
import { signOAuthQuery } from './shopify-emulator/signing.js';
import { eventually } from './support/eventually.js';
import { API_SECRET, connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { sendWebhook } from './support/webhooks.js';

describe('Shopify connection', () => {
  let ctx: ShopifyTestContext;
  let pollingQueue: Queue;

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    pollingQueue = new Queue('ecommerce-polling', { connection: { url: ctx.config.redisUrl }, prefix: ctx.config.queuePrefix });
  });
  afterAll(async () => {
    await pollingQueue.close();
    await ctx.close();
  });

  let n = 0;
  const newShop = () => {
    const shop = `shop-${++n}-${Date.now().toString(36)}.myshopify.com`;
    ctx.emulator.createShop(shop);
    return shop;
  };
  const connectionRows = async (businessId: string) =>
    (await ctx.db.query('SELECT * FROM ecommerce_connection WHERE business_id = $1', [businessId])).rows;
  const scheduler = async (businessId: string) => {
    const [row] = await connectionRows(businessId);
    return pollingQueue.getJobScheduler(`poll:${row.id}`);
  };

  it('connects a shop end to end: token sealed, webhooks registered once, polling scheduled, logged', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    const result = await connectShop(ctx, businessId, shop);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ businessId, shop, status: 'active' });

    const view = await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ businessId, provider: 'shopify', shop, status: 'active', connectedAt: expect.any(String) });
    expect(view.body).toHaveProperty('lastSyncedAt');
    expect(view.body.scopes).toEqual(expect.arrayContaining(['read_orders', 'write_inventory']));

    const tokens = [...ctx.emulator.shop(shop).tokens.keys()];
    expect(tokens).toHaveLength(1);
    const [row] = await connectionRows(businessId);
    expect(row.access_token_sealed).toMatch(/^v1\./);
    expect(row.access_token_sealed).not.toContain(tokens[0]);
    expect(JSON.stringify(view.body)).not.toContain(tokens[0]);
    expect(row.access_token_expires_at).not.toBeNull();
    expect(row.refresh_token_sealed).toMatch(/^v1\./);

    const subscriptions = [...ctx.emulator.shop(shop).webhookSubscriptions.values()];
    expect(subscriptions.map((s) => s.topic).sort()).toEqual(['app/uninstalled', 'orders/cancelled', 'orders/create', 'orders/edited', 'orders/paid', 'orders/updated', 'refunds/create']);
    expect(new Set(subscriptions.map((s) => s.uri))).toEqual(new Set([`${ctx.baseUrl}/ecommerce/webhooks/shopify`]));

    const schedule = await scheduler(businessId);
    expect(schedule).toMatchObject({ every: 15 * 60_000 });

    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=connection`).set(bearer());
    expect(logs.body.items[0]).toMatchObject({ type: 'connection', status: 'success', direction: 'outbound' });
    expect(logs.body.items[0].message).toContain(shop);
    expect(JSON.stringify(logs.body)).not.toContain(tokens[0]);

    // Reconnecting replaces the token and duplicates nothing.
    const again = await connectShop(ctx, businessId, shop);
    expect(again.status).toBe(200);
    expect(ctx.emulator.shop(shop).webhookSubscriptions.size).toBe(7);
    const [after] = await connectionRows(businessId);
    expect(after.access_token_sealed).not.toBe(row.access_token_sealed);
    expect(await connectionRows(businessId)).toHaveLength(1);
  });

  it('refuses a shop already active on another business (409), at connect and at callback', async () => {
    const shop = newShop();
    const first = await createBusiness(ctx);
    const second = await createBusiness(ctx);
    expect((await connectShop(ctx, first, shop)).status).toBe(200);
    const res = await ctx.http.post('/ecommerce/connect').set(bearer()).send({ businessId: second, shop });
    expect(res.status).toBe(409);
    expect(await connectionRows(second)).toHaveLength(0);
  });

  describe('callback attacks and faults leave nothing stored', () => {
    /** Starts a real flow and returns the callback query Shopify would send, for the test to tamper with. */
    const startFlow = async () => {
      const shop = newShop();
      const businessId = await createBusiness(ctx);
      const start = await ctx.http.post('/ecommerce/connect').set(bearer()).send({ businessId, shop });
      const authorize = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
      const callback = new URL(authorize.headers.get('location')!);
      return { shop, businessId, params: Object.fromEntries(callback.searchParams) as Record<string, string> };
    };
    const call = async (params: Record<string, string>) => {
      const res = await ctx.http.get('/ecommerce/oauth/callback').query(params);
      return res;
    };
    const resign = (params: Record<string, string>) => ({ ...params, hmac: signOAuthQuery(params, API_SECRET) });

    it.each([
      ['tampered hmac', (p: Record<string, string>) => ({ ...p, hmac: p.hmac.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')) }), 401, /hmac/],
      ['missing hmac', (p: Record<string, string>) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'hmac')), 401, /hmac/],
      ['a changed shop without re-signing', (p: Record<string, string>) => ({ ...p, shop: 'evil.myshopify.com' }), 401, /hmac/],
      ['a malformed shop domain', (p: Record<string, string>) => resign({ ...p, shop: 'evil.example.com' }), 400, /shop/],
      ['a stale timestamp', (p: Record<string, string>) => resign({ ...p, timestamp: String(Math.floor(Date.now() / 1000) - 3600) }), 401, /timestamp/],
      ['an unknown state', (p: Record<string, string>) => resign({ ...p, state: 'forged-state' }), 400, /state/],
      ['a code the emulator refuses', (p: Record<string, string>) => resign({ ...p, code: 'not-a-code' }), 502, /refused/],
    ] as const)('%s', async (_label, tamper, status, message) => {
      const { businessId, params } = await startFlow();
      const res = await call(tamper(params));
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
      expect(await connectionRows(businessId)).toHaveLength(0);
    });

    it('a replayed state', async () => {
      const { businessId, params } = await startFlow();
      expect((await call(params)).status).toBe(200);
      const replay = await call(params);
      expect(replay.status).toBe(400);
      expect(replay.body.message).toMatch(/already used/);
      expect(await connectionRows(businessId)).toHaveLength(1);
    });

    it('an expired state', async () => {
      const { businessId, params } = await startFlow();
      await ctx.db.query("UPDATE ecommerce_oauth_state SET expires_at = now() - interval '1 minute' WHERE state = $1", [params.state]);
      const res = await call(params);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/expired/);
      expect(await connectionRows(businessId)).toHaveLength(0);
    });

    it('a state issued for another shop', async () => {
      const first = await startFlow();
      const second = await startFlow();
      const res = await call(resign({ ...second.params, state: first.params.state }));
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/another shop/);
      expect(await connectionRows(first.businessId)).toHaveLength(0);
      expect(await connectionRows(second.businessId)).toHaveLength(0);
    });

    it('the emulator down during the code exchange', async () => {
      const { businessId, params } = await startFlow();
      ctx.emulator.injectFault({ target: 'oauth', kind: 'reset', count: 1 });
      const res = await call(params);
      expect(res.status).toBe(502);
      expect(await connectionRows(businessId)).toHaveLength(0);
      const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&status=failed`).set(bearer());
      expect(logs.body.items[0].message).toMatch(/Nothing was stored/);
    });
  });

  it('rejects a malformed shop domain at connect with 400 naming it', async () => {
    const businessId = await createBusiness(ctx);
    const res = await ctx.http.post('/ecommerce/connect').set(bearer()).send({ businessId, shop: 'https://evil.example.com' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('shop');
  });

  it('ends the OAuth flow on a small HTML page for the merchant browser, and JSON for other clients', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    const start = await ctx.http.post('/ecommerce/connect').set(bearer()).send({ businessId, shop });
    const authorize = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
    const callback = authorize.headers.get('location')!;
    const browser = await fetch(callback, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(browser.status).toBe(200);
    expect(browser.headers.get('content-type')).toMatch(/text\/html/);
    expect(await browser.text()).toContain(`Connected ${shop}. You can close this window.`);
    // The same state again: refused, in words the merchant can read, escaped.
    const again = await fetch(callback, { headers: { accept: 'text/html' } });
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/The shop could not be connected: state was already used/);
    const api = await fetch(callback, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(400);
    expect(((await api.json()) as { message: string }).message).toMatch(/state was already used/);
  });

  it('sends the browser to SHOPIFY_CONNECTED_REDIRECT_URL when one is set, telling the outcome in the query', async () => {
    const config = ctx.app.get<AppConfig>(APP_CONFIG);
    config.shopify.connectedRedirectUrl = 'https://pos.example.com/settings/shopify?tab=sales';
    try {
      const shop = newShop();
      const businessId = await createBusiness(ctx);
      const start = await ctx.http.post('/ecommerce/connect').set(bearer()).send({ businessId, shop });
      const authorize = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
      const callback = authorize.headers.get('location')!;
      const html = { accept: 'text/html' };
      const connected = await fetch(callback, { headers: html, redirect: 'manual' });
      expect(connected.status).toBe(303);
      const to = new URL(connected.headers.get('location')!);
      expect(`${to.origin}${to.pathname}`).toBe('https://pos.example.com/settings/shopify');
      expect(Object.fromEntries(to.searchParams)).toEqual({ tab: 'sales', status: 'connected', shop, businessId });
      const failed = new URL((await fetch(callback, { headers: html, redirect: 'manual' })).headers.get('location')!);
      expect(Object.fromEntries(failed.searchParams)).toEqual({ tab: 'sales', status: 'failed', shop, error: expect.stringMatching(/state was already used/) });
      // API clients still get JSON.
      expect((await fetch(callback, { headers: { accept: 'application/json' }, redirect: 'manual' })).status).toBe(400);
    } finally {
      config.shopify.connectedRedirectUrl = null;
    }
  });

  it('connects a shop typed with capitals: the domain is stored lowercase, as Shopify signs it', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    const typed = shop.replace(/^shop/, 'Shop').replace('.myshopify.com', '.MyShopify.com');
    const result = await connectShop(ctx, businessId, typed);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ businessId, shop, status: 'active' });
    expect((await connectionRows(businessId))[0].shop_domain).toBe(shop);
  });

  it('repairs a connection whose webhook registration failed when the flow runs again, and polls at once', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    ctx.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 500, count: 20 });
    const failed = await connectShop(ctx, businessId, shop);
    ctx.emulator.faults.length = 0;
    expect(failed.status).toBe(502);
    const view = await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    expect(view.body).toMatchObject({ status: 'active', webhooksRegistered: false, lastError: expect.stringMatching(/connect flow again/) });
    expect(await scheduler(businessId)).toBeTruthy();
    // The schedule's first poll has run (its next one is 15 minutes away).
    const polls = async () => (await ctx.db.query("SELECT status FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll' ORDER BY started_at", [businessId])).rows;
    await eventually(async () => expect(await polls()).toHaveLength(1), 30_000, 100);

    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    const repaired = await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    expect(repaired.body).toMatchObject({ status: 'active', webhooksRegistered: true, lastError: null });
    expect(ctx.emulator.shop(shop).webhookSubscriptions.size).toBe(7);
    // The repair polls at once, so that what the gap missed arrives and stale flags clear.
    await eventually(async () => {
      const rows = await polls();
      expect(rows).toHaveLength(2);
      expect(rows[1]).toEqual({ status: 'success' });
    });
  });

  it('disconnects: polling stops, webhooks removed, token deleted', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    await connectShop(ctx, businessId, shop);
    const res = await ctx.http.delete(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    expect(res.status).toBe(204);
    const [row] = await connectionRows(businessId);
    expect(row).toMatchObject({ status: 'disconnected', access_token_sealed: null, refresh_token_sealed: null });
    expect(await pollingQueue.getJobScheduler(`poll:${row.id}`)).toBeUndefined();
    expect(ctx.emulator.shop(shop).webhookSubscriptions.size).toBe(0);
    expect((await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer())).body.status).toBe('disconnected');
    expect((await ctx.http.delete(`/ecommerce/connection?businessId=${await createBusiness(ctx)}`).set(bearer())).status).toBe(404);
  });

  it('handles app/uninstalled without calling Shopify, then reinstalls', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    await connectShop(ctx, businessId, shop);
    const [row] = await connectionRows(businessId);
    // The first poll runs at connect; once it has finished, nothing else should call Shopify.
    await eventually(async () => expect((await ctx.db.query("SELECT 1 FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId])).rowCount).toBeGreaterThan(0));
    const callsBefore = ctx.emulator.stats.graphqlRequests;

    ctx.emulator.uninstall(shop);
    await eventually(async () => {
      const [current] = await connectionRows(businessId);
      expect(current).toMatchObject({ status: 'uninstalled', access_token_sealed: null });
    });
    expect(await pollingQueue.getJobScheduler(`poll:${row.id}`)).toBeUndefined();
    expect(ctx.emulator.stats.graphqlRequests).toBe(callsBefore);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=connection`).set(bearer());
    expect(logs.body.items[0].message).toMatch(/uninstalled/);

    const again = await connectShop(ctx, businessId, shop);
    expect(again.status).toBe(200);
    expect((await connectionRows(businessId))[0].status).toBe('active');
    expect(ctx.emulator.shop(shop).webhookSubscriptions.size).toBe(7);
  });

  it('refreshes an expiring token before use and stores the new pair', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    await connectShop(ctx, businessId, shop);
    const [before] = await connectionRows(businessId);
    await ctx.db.query("UPDATE ecommerce_connection SET access_token_expires_at = now() + interval '1 minute' WHERE id = $1", [before.id]);
    // Disconnecting needs a session: it is the first Shopify call after the token got close to expiry.
    const exchangesBefore = ctx.emulator.stats.tokenExchanges;
    await ctx.http.delete(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    expect(ctx.emulator.stats.tokenExchanges).toBe(exchangesBefore + 1);
    expect(ctx.emulator.shop(shop).webhookSubscriptions.size).toBe(0);
  });

  it('shows and logs a failed refresh on the connection', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    await connectShop(ctx, businessId, shop);
    const [before] = await connectionRows(businessId);
    await ctx.db.query("UPDATE ecommerce_connection SET access_token_expires_at = now() + interval '1 minute' WHERE id = $1", [before.id]);
    ctx.emulator.shop(shop).refreshTokens.clear();
    await ctx.http.delete(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&status=failed`).set(bearer());
    expect(logs.body.items.map((i: { message: string }) => i.message).join('\n')).toMatch(/Refreshing the access token failed/);
    const view = await ctx.http.get(`/ecommerce/connection?businessId=${businessId}`).set(bearer());
    expect(view.body.lastError).toMatch(/Refreshing the access token failed/);
  });

  it('subscribes a connection registered before orders/edited and refunds/create to them, once', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    await connectShop(ctx, businessId, shop);
    const subscriptions = ctx.emulator.shop(shop).webhookSubscriptions;
    for (const [id, subscription] of subscriptions) if (subscription.topic === 'orders/edited' || subscription.topic === 'refunds/create') subscriptions.delete(id);
    await ctx.db.query("UPDATE ecommerce_connection SET webhooks_registered_at = '2026-06-01' WHERE business_id = $1", [businessId]);
    const schedules = ctx.app.get(ConnectionSchedules, { strict: false });
    await schedules.reassert();
    expect([...subscriptions.values()].map((s) => s.topic).sort()).toEqual(['app/uninstalled', 'orders/cancelled', 'orders/create', 'orders/edited', 'orders/paid', 'orders/updated', 'refunds/create']);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=connection`).set(bearer());
    expect(logs.body.items[0].message).toMatch(/Subscribed .* to orders\/edited, refunds\/create/);
    const calls = ctx.emulator.stats.graphqlRequests;
    await schedules.reassert();
    expect(ctx.emulator.stats.graphqlRequests).toBe(calls);
  });

  it('re-asserts a lost polling schedule at boot, once however many replicas do it', async () => {
    const shop = newShop();
    const businessId = await createBusiness(ctx);
    await connectShop(ctx, businessId, shop);
    const [row] = await connectionRows(businessId);
    await pollingQueue.removeJobScheduler(`poll:${row.id}`);
    expect(await pollingQueue.getJobScheduler(`poll:${row.id}`)).toBeUndefined();

    const boot = ctx.app.get(ConnectionSchedules, { strict: false });
    await Promise.all([boot.reassert(), boot.reassert(), boot.reassert()]);
    const schedulers = (await pollingQueue.getJobSchedulers(0, -1)).filter((s) => s.key === `poll:${row.id}`);
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ every: 15 * 60_000 });
  });

  describe('compliance webhooks', () => {
    it.each(['customers/data_request', 'customers/redact', 'shop/redact'])('%s: 401 on a bad signature, 200 and a sync log otherwise', async (topic) => {
      const shop = newShop();
      const body = JSON.stringify({ shop_domain: shop, customer: { id: 7 }, orders_to_redact: [1], orders_requested: [1] });
      const bad = await sendWebhook(ctx.baseUrl, { topic, shop, body, secret: 'wrong-secret' });
      expect(bad.status).toBe(401);
      const good = await sendWebhook(ctx.baseUrl, { topic, shop, body });
      expect(good).toEqual({ status: 200, body: { ok: true } });
      await eventually(async () => {
        const rows = await ctx.db.query(
          "SELECT * FROM ecommerce_sync_log WHERE type = 'webhook' AND details->>'topic' = $1 AND message LIKE '%' || $2 || '%'",
          [topic, shop],
        );
        expect(rows.rows).toHaveLength(1);
      });
    });

    it('shop/redact deletes what is stored for the shop', async () => {
      const shop = newShop();
      const businessId = await createBusiness(ctx);
      await connectShop(ctx, businessId, shop);
      ctx.emulator.uninstall(shop);
      await eventually(async () => expect((await connectionRows(businessId))[0].status).toBe('uninstalled'));
      const res = await sendWebhook(ctx.baseUrl, { topic: 'shop/redact', shop, body: JSON.stringify({ shop_domain: shop }) });
      expect(res.status).toBe(200);
      await eventually(async () => expect(await connectionRows(businessId)).toHaveLength(0));
      const payloads = await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND payload IS NOT NULL', [shop]);
      expect(payloads.rows[0].n).toBe(0);
    });
  });

  describe('sync logs', () => {
    it('filters, pages newest first, and lets a support key read', async () => {
      const businessId = await createBusiness(ctx);
      const shop = newShop();
      for (let i = 0; i < 3; i++) await connectShop(ctx, businessId, shop);
      const { body: key } = await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'support', role: 'support' });

      const first = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=connection&limit=2`).set(bearer(key.key));
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=connection&limit=2&cursor=${first.body.nextCursor}`).set(bearer(key.key));
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      const all = [...first.body.items, ...second.body.items];
      const times = all.map((i: { startedAt: string }) => Date.parse(i.startedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(new Set(all.map((i: { id: string }) => i.id)).size).toBe(3);
      expect(all[0]).toEqual({
        id: expect.any(String), businessId, type: 'connection', direction: 'outbound', status: 'success', processed: 0, failed: 0,
        message: expect.any(String), details: expect.any(Object), startedAt: expect.any(String), finishedAt: expect.any(String),
      });

      const none = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&from=${new Date(Date.now() + 60_000).toISOString()}`).set(bearer());
      expect(none.body.items).toHaveLength(0);
      const failedOnly = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&status=failed`).set(bearer());
      expect(failedOnly.body.items).toHaveLength(0);
    });

    it.each([
      ['type=everything', 'type'],
      ['status=meh', 'status'],
      ['from=yesterday', 'from'],
      ['limit=500', 'limit'],
      ['businessId=abc', 'businessId'],
      ['cursor=abc', 'cursor'],
    ])('rejects %s with a 400 naming it', async (query, field) => {
      const res = await ctx.http.get(`/ecommerce/sync/logs?${query}`).set(bearer());
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(field);
    });
  });
});
