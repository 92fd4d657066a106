import { RedisClient } from '../src/queue/redis.provider.js';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { RETENTION_SCHEDULER_ID, HOUSEKEEPING_QUEUE } from '../src/ecommerce/housekeeping/housekeeping.constants.js';
import { RetentionService } from '../src/ecommerce/housekeeping/retention.service.js';
import { PollingScheduler } from '../src/ecommerce/polling/polling-scheduler.service.js';
import { WebhooksWorker } from '../src/ecommerce/webhooks/webhooks.worker.js';
import { eventually } from './support/eventually.js';
import { sendWebhook } from './support/webhooks.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';

/** Reads one sample of a Prometheus text page: the value of `name{labels}`, or 0 if absent. */
function sample(page: string, name: string, labels = ''): number {
  const line = page.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('operations: status, metrics, retention', () => {
  let ctx: ShopifyTestContext;
  let businessId: string;
  let connectionId: string;
  let supportKey: string;
  const shop = 'operations.myshopify.com';

  const status = async () => {
    const res = await ctx.http.get(`/ecommerce/status?businessId=${businessId}`).set(bearer(supportKey));
    expect(res.status).toBe(200);
    return res.body as Record<string, any>;
  };
  const flagged = async (item: string) => ((await status()).flags as Array<{ item: string; reason: string }>).find((f) => f.item === item);

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx);
    await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'A', name: 'Alpha', price: '1.00', stock: 100 });
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    connectionId = (await ctx.db.query('SELECT id FROM ecommerce_connection WHERE business_id = $1', [businessId])).rows[0].id;
    supportKey = (await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'desk', role: 'support' })).body.key;
    // The first poll (the look-back) runs at connect; let it finish so that it cannot race the changes below.
    await eventually(async () => {
      const logs = await ctx.db.query("SELECT 1 FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId]);
      expect(logs.rowCount).toBe(1);
    });
  });
  afterAll(() => ctx.close());

  it('reports a healthy connected business with every part of the picture', async () => {
    ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    await eventually(async () => {
      const { deliveries24h } = await status();
      expect(deliveries24h.processed).toBeGreaterThan(0);
      expect(deliveries24h.received).toBe(0);
    });
    const body = await status();
    expect(body).toMatchObject({
      businessId,
      healthy: true,
      flags: [],
      connection: { shop, status: 'active', provider: 'shopify' },
      schedule: { exists: true, nextRunAt: expect.any(String), everyMinutes: 15 },
      lastSyncedAt: expect.any(String),
      lagSeconds: expect.any(Number),
      deliveries24h: { received: 0, processed: expect.any(Number), failed: 0, skipped: 0 },
      stuckDeliveries: 0,
      outbox: { pending: expect.any(Number) },
      lastRuns: { poll: { status: 'success' }, order: { status: 'success' }, webhook: { status: 'success', message: expect.stringMatching(/^Webhook orders\/\w+ received and processed$/) }, product_sync: null },
    });
    // The order's log entry links to the delivery and to the queue job that processed it.
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=order`).set(bearer(supportKey));
    const details = logs.body.items[0].details as Record<string, unknown>;
    expect(details).toMatchObject({ orderId: expect.any(String), deliveryId: expect.any(String), queue: 'ecommerce-webhooks' });
    expect(details.jobId).toBe(details.deliveryId);
    const queues = body.queues as Array<{ name: string; workers: number; counts: Record<string, number> }>;
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining(['ecommerce-webhooks', 'ecommerce-polling', 'ecommerce-housekeeping']));
    for (const queue of queues) {
      expect(queue.workers).toBeGreaterThan(0);
      expect(queue.counts).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number) });
    }
    // The polling, sweeper, reconciliation and retention schedules wait as delayed jobs: they are not a backlog.
    expect(queues.find((q) => q.name === 'ecommerce-polling')!.counts.delayed).toBe(0);
    expect(queues.find((q) => q.name === 'ecommerce-housekeeping')!.counts.delayed).toBe(0);
  });

  it('answers clear errors for bad or unknown businesses, and flags one that is not connected', async () => {
    expect((await ctx.http.get('/ecommerce/status?businessId=nope').set(bearer())).status).toBe(400);
    expect((await ctx.http.get('/ecommerce/status').set(bearer())).status).toBe(400);
    expect((await ctx.http.get('/ecommerce/status?businessId=8d0f1c1e-8a57-4c39-9d4f-2f3b5c6d7e8f').set(bearer())).status).toBe(404);
    expect((await ctx.http.get(`/ecommerce/status?businessId=${businessId}`)).status).toBe(401);
    const other = await createBusiness(ctx, 'Not connected');
    const res = await ctx.http.get(`/ecommerce/status?businessId=${other}`).set(bearer());
    expect(res.body.healthy).toBe(false);
    expect(res.body.flags).toEqual([{ item: 'connection', reason: expect.stringMatching(/not connected/) }]);
  });

  it('lists businesses with their shop and a health verdict, and finds one by shop domain (support may read)', async () => {
    const found = await ctx.http.get(`/ecommerce/businesses?shop=${shop.toUpperCase().replace('.MYSHOPIFY.COM', '.myshopify.com')}`).set(bearer(supportKey));
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      items: [{ id: businessId, name: expect.any(String), sources: [{ kind: 'shopify', shop, status: 'active' }], health: expect.stringMatching(/^(green|amber)$/), flags: expect.any(Array) }],
      nextCursor: null,
    });
    const page = await ctx.http.get('/ecommerce/businesses?limit=1').set(bearer(supportKey));
    expect(page.body.items).toHaveLength(1);
    expect(['green', 'amber', 'red']).toContain(page.body.items[0].health);
    expect((await ctx.http.get('/ecommerce/businesses?shop=https://evil.example').set(bearer())).status).toBe(400);
    expect((await ctx.http.get('/ecommerce/businesses?shop=nobody.myshopify.com').set(bearer())).body).toEqual({ items: [], nextCursor: null });
  });

  it('flags order lines that matched no POS product, with their SKUs', async () => {
    ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }, { sku: 'NOT-IN-POS', quantity: 2 }] });
    const flag = await eventually(async () => {
      const found = await flagged('products');
      expect(found).toBeDefined();
      return found!;
    });
    expect(flag.reason).toMatch(/NOT-IN-POS \(1 order\)/);
    await ctx.db.query("UPDATE ecommerce_ingested_order SET ingested_at = now() - interval '2 days' WHERE business_id = $1", [businessId]);
    expect(await flagged('products')).toBeUndefined();
  });

  it('counts, logs and flags webhooks of the connected shop that fail their signature (a wrong SHOPIFY_API_SECRET)', async () => {
    const body = JSON.stringify({ id: 1, line_items: [] });
    for (let i = 0; i < 3; i++) {
      expect((await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body, secret: 'rotated-secret' })).status).toBe(401);
    }
    expect((await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop: 'stranger.myshopify.com', body, secret: 'rotated-secret' })).status).toBe(401);
    const flag = await flagged('webhooks');
    expect(flag?.reason).toMatch(new RegExp(`^3 webhooks from ${shop} failed their signature in the last hour.*SHOPIFY_API_SECRET`));
    const metrics = (await ctx.http.get('/metrics')).text;
    expect(metrics).toContain(`ecommerce_webhook_signature_failures_total{shop="${shop}"} 3`);
    expect(metrics).toContain('ecommerce_webhook_signature_failures_total{shop="unknown"} 1');
    expect(metrics).not.toContain('stranger.myshopify.com');
    const keys = await ctx.app.get(RedisClient, { strict: false }).redis.keys(`${ctx.config.queuePrefix}:sigfail:*`);
    await ctx.app.get(RedisClient, { strict: false }).redis.del(...keys);
    expect(await flagged('webhooks')).toBeUndefined();
  });

  it('flags a stale lastSyncedAt', async () => {
    await ctx.db.query("UPDATE ecommerce_connection SET last_synced_at = now() - interval '2 hours' WHERE id = $1", [connectionId]);
    try {
      expect(await flagged('lastSyncedAt')).toEqual({ item: 'lastSyncedAt', reason: expect.stringMatching(/last complete poll was 120 minutes ago/) });
      expect((await status()).lagSeconds).toBeGreaterThanOrEqual(7200);
    } finally {
      await ctx.db.query('UPDATE ecommerce_connection SET last_synced_at = now() WHERE id = $1', [connectionId]);
    }
    expect(await flagged('lastSyncedAt')).toBeUndefined();
  });

  it('flags a missing polling schedule', async () => {
    const scheduler = ctx.app.get(PollingScheduler, { strict: false });
    await scheduler.unschedule(connectionId);
    try {
      const body = await status();
      expect(body.schedule).toMatchObject({ exists: false, nextRunAt: null });
      expect(body.flags).toContainEqual({ item: 'schedule', reason: expect.stringMatching(/polling schedule is missing/) });
    } finally {
      await scheduler.schedule(connectionId);
    }
    await eventually(async () => expect(await flagged('schedule')).toBeUndefined());
  });

  it('exposes Prometheus metrics: a delivery shows up once it arrives, with queue depth and Shopify calls', async () => {
    const metrics = async () => {
      const res = await ctx.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      return res.text;
    };
    const before = await metrics();
    ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    await eventually(async () => {
      const page = await metrics();
      const stored = 'topic="orders/create",outcome="stored"';
      expect(sample(page, 'ecommerce_webhook_deliveries_received_total', stored)).toBe(sample(before, 'ecommerce_webhook_deliveries_received_total', stored) + 1);
      const processed = 'topic="orders/create",outcome="processed"';
      expect(sample(page, 'ecommerce_webhook_deliveries_processed_total', processed)).toBe(sample(before, 'ecommerce_webhook_deliveries_processed_total', processed) + 1);
    });
    const page = await metrics();
    expect(sample(page, 'ecommerce_webhook_ingest_latency_seconds_count', 'topic="orders/create"')).toBeGreaterThan(0);
    expect(sample(page, 'ecommerce_orders_ingested_total', 'source="webhook",result="ingested"')).toBeGreaterThan(0);
    expect(page).toMatch(/^ecommerce_queue_jobs\{queue="ecommerce-webhooks",state="waiting"\} \d+$/m);
    expect(sample(page, 'ecommerce_queue_workers', 'queue="ecommerce-webhooks"')).toBeGreaterThan(0);
    expect(sample(page, 'ecommerce_shopify_calls_total', 'outcome="ok"')).toBeGreaterThan(0);
    expect(sample(page, 'ecommerce_shopify_cost_bucket_maximum', `shop="${shop}"`)).toBeGreaterThan(0);
    expect(page).toMatch(/^ecommerce_job_duration_seconds_count\{queue="ecommerce-webhooks",job="process-delivery",outcome="completed"\} \d+$/m);
    expect(page).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('retention deletes only what is old: sync logs, processed deliveries and pushed outbox rows; never orders', async () => {
    const queue = ctx.app.get<Queue>(getQueueToken(HOUSEKEEPING_QUEUE), { strict: false });
    const scheduler = await queue.getJobScheduler(RETENTION_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: expect.any(String), next: expect.any(Number) });

    const old = "now() - interval '16 days'";
    const log = (at: string, n: number) =>
      ctx.db.query(
        `INSERT INTO ecommerce_sync_log (business_id, type, direction, status, message, started_at, finished_at)
         SELECT $1, 'order', 'inbound', 'success', 'retention test', ${at}, ${at} FROM generate_series(1, $2)`,
        [businessId, n],
      );
    await log(old, 2500);
    await log("now() - interval '14 days'", 3);
    const delivery = (webhookId: string, status: string, at: string) =>
      ctx.db.query(
        `INSERT INTO ecommerce_webhook_delivery (shop_domain, webhook_id, topic, business_id, status, received_at) VALUES ($1, $2, 'orders/create', $3, $4, ${at})`,
        [shop, webhookId, businessId, status],
      );
    await delivery('old-processed', 'processed', old);
    await delivery('old-skipped', 'skipped', old);
    await delivery('old-failed', 'failed', old);
    await delivery('old-received', 'received', old);
    await delivery('new-processed', 'processed', 'now()');
    const productId = (await ctx.db.query('SELECT id FROM product WHERE business_id = $1', [businessId])).rows[0].id;
    const outbox = (pushed: string | null, at: string) =>
      ctx.db.query(`INSERT INTO ecommerce_inventory_outbox (business_id, product_id, created_at, pushed_at) VALUES ($1, $2, ${at}, ${pushed ?? 'NULL'})`, [businessId, productId]);
    await outbox(old, old);
    await outbox(null, old);
    await ctx.db.query(`UPDATE ecommerce_ingested_order SET ingested_at = ${old} WHERE business_id = $1`, [businessId]);
    const count = async (sql: string) => (await ctx.db.query(sql, [businessId])).rows[0].n as number;
    const orders = await count('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE business_id = $1');
    const recentLogs = await count(`SELECT count(*)::int AS n FROM ecommerce_sync_log WHERE business_id = $1 AND started_at >= now() - interval '15 days'`);

    const result = await ctx.app.get(RetentionService, { strict: false }).run();
    expect(result).toMatchObject({ syncLogs: 2500, deliveries: 2, outboxRows: 1 });
    // The app keeps working meanwhile (the sweeper picks up the old received delivery): count what retention decides on.
    expect(await count(`SELECT count(*)::int AS n FROM ecommerce_sync_log WHERE business_id = $1 AND started_at < now() - interval '15 days'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM ecommerce_sync_log WHERE business_id = $1 AND message = 'retention test'`)).toBe(3);
    expect(await count(`SELECT count(*)::int AS n FROM ecommerce_sync_log WHERE business_id = $1`)).toBeGreaterThanOrEqual(recentLogs);
    const left = await ctx.db.query("SELECT webhook_id FROM ecommerce_webhook_delivery WHERE webhook_id LIKE 'old-%' OR webhook_id LIKE 'new-%' ORDER BY webhook_id");
    expect(left.rows.map((r) => r.webhook_id)).toEqual(['new-processed', 'old-failed', 'old-received']);
    expect(await count('SELECT count(*)::int AS n FROM ecommerce_inventory_outbox WHERE business_id = $1 AND pushed_at IS NULL')).toBeGreaterThan(0);
    expect(await count('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE business_id = $1')).toBe(orders);
    expect((await ctx.app.get(RetentionService, { strict: false }).run()).syncLogs).toBe(0);
  });

  // Last: it stops this app's webhook worker for good.
  it('flags a stopped worker', async () => {
    await ctx.app.get(WebhooksWorker, { strict: false }).worker.close();
    await eventually(async () => {
      expect(await flagged('queue:ecommerce-webhooks')).toEqual({ item: 'queue:ecommerce-webhooks', reason: expect.stringMatching(/No worker is connected/) });
    });
    expect((await ctx.http.get('/health')).status).toBe(503);
  });
});
