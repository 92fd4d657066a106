import { orderPayload } from './shopify-emulator/emulator.js';
import { shopifyJson } from './shopify-emulator/state.js';
import { eventually } from './support/eventually.js';
import { ProcessBed } from './support/process-bed.js';
import { freePort } from './support/net.js';
import { PrivateRedis } from './support/redis-server.js';
import { exitCodeOf, spawnApp } from './support/spawn-app.js';
import { API_SECRET } from './support/shopify.js';
import { sendWebhook } from './support/webhooks.js';

/**
 * Real traffic under faults, each test ending by checking the database against what the emulator sent:
 * no order lost, none doubled, stock exact.
 */
describe('faults during a delivery burst', () => {
  let bed: ProcessBed;

  beforeEach(async () => {
    bed = await ProcessBed.start();
  });
  afterEach(() => bed.stop());

  it('the app killed (SIGKILL) mid-burst and restarted: every acknowledged delivery is ingested once', async () => {
    const app = await bed.app();
    const shop = 'sigkill.myshopify.com';
    const businessId = await bed.connected(app, shop);

    const sending = bed.burst(shop, 150, 1500);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await app.kill();
    await sending;
    await app.start();
    await bed.emulator.webhooks.idle();
    expect(bed.emulator.webhooks.deliveries.filter((d) => d.status === 'failed')).toEqual([]);
    await bed.expectExact(businessId, shop);
  }, 90_000);

  it('Redis restarted (empty) during a burst: every delivery ingested once, and the schedules come back', async () => {
    const redis = await PrivateRedis.start();
    try {
      const app = await bed.app({ REDIS_URL: redis.url });
      const shop = 'redis-restart.myshopify.com';
      const businessId = await bed.connected(app, shop);

      const sending = bed.burst(shop, 150, 2000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await redis.start();
      await sending;
      await bed.emulator.webhooks.idle();
      // Redis down does not stop acknowledgements: the inbox is in Postgres.
      expect(bed.emulator.webhooks.deliveries.filter((d) => d.status === 'failed')).toEqual([]);
      await bed.expectExact(businessId, shop);
      // Redis came back empty; the worker put the schedules back (polling, sweeper, reconciliation, retention).
      await eventually(async () => {
        const status = await bed.api(app, 'GET', `/ecommerce/status?businessId=${businessId}`);
        expect(status.schedule).toMatchObject({ exists: true });
        expect(status.flags).toEqual([]);
      });
    } finally {
      await redis.kill();
    }
  });

  it('Redis down at boot: the app listens at once, says so once every few seconds, /health names Redis, and recovers when it comes', async () => {
    const redis = await PrivateRedis.reserve();
    const port = await freePort();
    const child = spawnApp({ ...bed.env, REDIS_URL: redis.url, PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'info' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const health = await eventually(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        expect(response.status).toBe(503);
        return (await response.json()) as { failing: string[] };
      }, 30_000, 200);
      expect(health.failing).toContain('redis');
      // The POS API works without Redis.
      expect((await fetch(`http://127.0.0.1:${port}/businesses`, { method: 'POST', headers: { authorization: `Bearer ${bed.env.ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{"name":"No Redis"}' })).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 6000));
      const reports = output.split('\n').filter((line) => line.includes('Cannot reach Redis at'));
      expect(reports.length).toBeGreaterThanOrEqual(1);
      expect(reports.length).toBeLessThanOrEqual(3);
      // No stack trace per reconnect attempt: at most those printed while the modules were being created.
      expect(output.split('\n').filter((line) => line.includes('at TCPConnectWrap')).length).toBeLessThanOrEqual(20);

      await redis.start();
      await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200), 60_000, 500);
    } finally {
      child.kill('SIGKILL');
      await redis.kill();
    }
  });

  it('SIGTERM while Redis is away still ends the process (within the 20 s shutdown deadline)', async () => {
    const redis = await PrivateRedis.reserve();
    const port = await freePort();
    const child = spawnApp({ ...bed.env, REDIS_URL: redis.url, PORT: String(port), APP_URL: `http://127.0.0.1:${port}` });
    try {
      await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(503), 30_000, 200);
      child.kill('SIGTERM');
      expect(await exitCodeOf(child, 30_000)).not.toBeNull();
    } finally {
      child.kill('SIGKILL');
      await redis.kill();
    }
  });

  it('actions answer 503 naming Redis within 2 s while Redis is down, and change nothing', async () => {
    const redis = await PrivateRedis.start();
    try {
      const app = await bed.app({ REDIS_URL: redis.url });
      const shop = 'redis-down-actions.myshopify.com';
      const businessId = await bed.connected(app, shop);
      const { rows } = await bed.db.query(
        `INSERT INTO ecommerce_webhook_delivery (shop_domain, webhook_id, topic, status, attempts, payload, business_id, last_error)
         SELECT 'redis-down-actions.myshopify.com', 'w-failed', 'orders/create', 'failed', 5, '{}', $1, 'boom' RETURNING id`,
        [businessId],
      );
      await redis.kill();
      const call = async (path: string, body?: unknown) => {
        const started = Date.now();
        const response = await fetch(`${app.baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bed.env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as { message: string }, ms: Date.now() - started };
      };
      for (const [path, body] of [
        ['/ecommerce/sync/poll', { businessId }],
        ['/ecommerce/sync/products', { businessId }],
        ['/ecommerce/sync/collections', { businessId }],
        [`/ecommerce/webhooks/deliveries/${rows[0].id}/replay`, undefined],
      ] as const) {
        const answer = await call(path, body);
        expect({ path, status: answer.status, message: answer.body.message }).toEqual({ path, status: 503, message: expect.stringMatching(/Redis/) });
        expect(answer.ms).toBeLessThan(2500);
      }
      const after = await bed.db.query('SELECT status, attempts, last_error FROM ecommerce_webhook_delivery WHERE id = $1', [rows[0].id]);
      expect(after.rows[0]).toEqual({ status: 'failed', attempts: 5, last_error: 'boom' });
    } finally {
      await redis.kill();
    }
  });

  it('Postgres connections killed (pg_terminate_backend) during a burst: 200s all ingested, 503s retried and ingested', async () => {
    const app = await bed.app();
    const shop = 'pgkill.myshopify.com';
    const businessId = await bed.connected(app, shop);

    const sending = bed.burst(shop, 150, 1500);
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await bed.db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [bed.database]);
    }
    await sending;
    await bed.emulator.webhooks.idle();
    expect(bed.emulator.webhooks.deliveries.filter((d) => d.status === 'failed')).toEqual([]);
    // Whatever a killed connection interrupted is picked up by a retry, the sweeper, or the next poll.
    await bed.api(app, 'POST', '/ecommerce/sync/poll', { businessId });
    await bed.expectExact(businessId, shop);
  });

  it('the emulator answering 5xx, 429 and slow responses during a poll and an inventory push', async () => {
    const app = await bed.app();
    const shop = 'flaky-shop.myshopify.com';
    const businessId = await bed.connected(app, shop);
    expect((await bed.api(app, 'POST', '/ecommerce/sync/products', { businessId })).jobId).toEqual(expect.any(String));
    await eventually(async () => {
      const logs = await bed.db.query("SELECT status FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'product_sync'", [businessId]);
      expect(logs.rows).toEqual([{ status: 'success' }]);
    });
    let faultsBefore = 0;
    const injectFaults = () => {
      bed.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 429, retryAfterSeconds: 1, count: 1 });
      bed.emulator.injectFault({ target: 'graphql', shop, kind: 'status', status: 503, count: 2 });
      bed.emulator.injectFault({ target: 'graphql', shop, kind: 'slow', delayMs: 1500, count: 2 });
      bed.emulator.injectFault({ target: 'graphql', shop, kind: 'reset', count: 1 });
    };

    // Whatever fault the app's own calls left over, one more poll takes; none may end in a failed sync log.
    const faultsTaken = (count: number) =>
      eventually(async () => {
        if (bed.emulator.faults.some((f) => f.remaining > 0)) await bed.api(app, 'POST', '/ecommerce/sync/poll', { businessId });
        expect(bed.emulator.stats.faultsInjected - faultsBefore).toBe(count);
      }, 30_000, 500);

    // A poll through the faults: the webhooks were lost, so the poll alone must bring every order in.
    bed.emulator.setWebhookBehaviour({ dropRate: 1 });
    await bed.burst(shop, 40, 0);
    bed.emulator.setWebhookBehaviour({ dropRate: 0 });
    faultsBefore = bed.emulator.stats.faultsInjected;
    injectFaults();
    await bed.api(app, 'POST', '/ecommerce/sync/poll', { businessId });
    await bed.expectExact(businessId, shop);
    // The poll and the inventory push its orders started take the faults between them; the push needs few calls
    // now that the location is stored on the connection.
    await faultsTaken(6);

    // A push through the faults: Shopify ends at exactly the POS levels.
    injectFaults();
    const products = (await bed.db.query('SELECT id, sku FROM product WHERE business_id = $1', [businessId])).rows as Array<{ id: string; sku: string }>;
    for (const [i, product] of products.entries()) await bed.api(app, 'POST', `/businesses/${businessId}/products/${product.id}/stock-adjustments`, { delta: 7 - i * 20, reason: 'count' });
    const pos = async () => new Map((await bed.db.query('SELECT sku, stock FROM product WHERE business_id = $1', [businessId])).rows.map((r) => [r.sku as string, r.stock as number]));
    await eventually(async () => {
      const levels = new Map(bed.emulator.products(shop).map((p) => [p.variants[0].sku!, p.variants[0].available]));
      expect(levels).toEqual(await pos());
    }, 60_000, 200);
    await faultsTaken(12);
    const failures = await bed.db.query("SELECT message FROM ecommerce_sync_log WHERE business_id = $1 AND status = 'failed'", [businessId]);
    // Every fault was retried within the call that met it: nothing needed a later run.
    expect(failures.rows).toEqual([]);
  });

  it('a duplicate storm: every delivery sent 10 times concurrently over 2 app processes', async () => {
    const first = await bed.app();
    const second = await bed.app({ APP_URL: first.baseUrl });
    const shop = 'storm.myshopify.com';
    const businessId = await bed.connected(first, shop);

    bed.emulator.setWebhookBehaviour({ dropRate: 1 });
    const orders = Array.from({ length: 40 }, (_, i) => bed.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }, ...(i % 2 ? [{ sku: 'B', quantity: 2 }] : [])] }));
    bed.emulator.setWebhookBehaviour({ dropRate: 0 });
    const answers = await Promise.all(
      orders.flatMap((order) => {
        const body = shopifyJson(orderPayload(order));
        const webhookId = `storm-${order.id}`;
        return Array.from({ length: 10 }, (_, i) => sendWebhook((i % 2 ? second : first).baseUrl, { topic: 'orders/create', shop, body, webhookId, secret: API_SECRET }));
      }),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const inbox = await bed.db.query('SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND webhook_id LIKE $2', [shop, 'storm-%']);
    expect(inbox.rows[0].n).toBe(40);
    await bed.expectExact(businessId, shop);
  });
});
