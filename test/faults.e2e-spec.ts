import pg from 'pg';
import { ShopifyEmulator } from './shopify-emulator/emulator.js';
import { AppProcess } from './support/app-process.js';
import { eventually } from './support/eventually.js';
import { freePort } from './support/net.js';
import { API_KEY, API_SECRET } from './support/shopify.js';
import { ADMIN_TOKEN, createTestDatabase, deleteRedisKeys, dropTestDatabase, testEnv } from './support/test-app.js';
import { sendWebhook } from './support/webhooks.js';
import { orderPayload } from './shopify-emulator/emulator.js';

/**
 * Real traffic under faults, each test ending by checking the database against what the emulator sent:
 * no order lost, none doubled, stock exact.
 */
describe('faults during a delivery burst', () => {
  let emulator: ShopifyEmulator;
  let database: string;
  let prefix: string;
  let env: Record<string, string>;
  let db: pg.Client;
  const apps: AppProcess[] = [];

  beforeEach(async () => {
    emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET });
    emulator.setWebhookBehaviour({ retryScheduleMs: [200, 400, 800, 1600, 3200, 3200, 3200] });
    database = await createTestDatabase();
    prefix = `test-${database}`;
    env = testEnv(database, prefix, { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET, SHOPIFY_SHOP_URL_TEMPLATE: emulator.shopUrlTemplate, LOG_LEVEL: 'warn' });
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });

  afterEach(async () => {
    for (const app of apps) {
      // An app that died during the test explains the failure better than the assertion does.
      if (app.exited) process.stderr.write(`app on port ${app.port} exited during the test:\n${app.output.slice(-4000)}\n`);
    }
    for (const app of apps.splice(0)) await app.stop();
    await emulator.stop();
    await db.end();
    await dropTestDatabase(database);
    await deleteRedisKeys(prefix);
  });

  const api = async (app: AppProcess, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, any>;
  };

  /** A business with products A and B (stock 100,000), connected to `shop` through OAuth. */
  const connected = async (app: AppProcess, shop: string) => {
    emulator.createShop(shop);
    const business = await api(app, 'POST', '/businesses', { name: 'Faults' });
    for (const sku of ['A', 'B']) await api(app, 'POST', `/businesses/${business.id}/products`, { sku, name: sku, price: '1.00', stock: 100_000 });
    const start = await api(app, 'POST', '/ecommerce/connect', { businessId: business.id, shop });
    const authorize = await fetch(start.authorizeUrl as string, { redirect: 'manual' });
    expect((await fetch(authorize.headers.get('location')!)).status).toBe(200);
    return business.id as string;
  };

  /** The database against the emulator: every order once, one decrement per line, stock exact. */
  const expectExact = async (businessId: string, shop: string) => {
    const sent = [...emulator.shop(shop).orders.values()];
    const units = { A: 0, B: 0 };
    for (const order of sent) for (const line of order.lineItems) units[line.sku as 'A' | 'B'] += line.quantity;
    await eventually(async () => {
      const orders = await db.query('SELECT external_order_id FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
      expect(orders.rows.map((r) => r.external_order_id).sort()).toEqual(sent.map((o) => String(o.id)).sort());
    }, 60_000, 200);
    const stock = await db.query('SELECT sku, stock FROM product WHERE business_id = $1 ORDER BY sku', [businessId]);
    expect(stock.rows).toEqual([
      { sku: 'A', stock: 100_000 - units.A },
      { sku: 'B', stock: 100_000 - units.B },
    ]);
    const movements = await db.query("SELECT count(*)::int AS n FROM stock_movement WHERE business_id = $1 AND reason = 'online_order'", [businessId]);
    expect(movements.rows[0].n).toBe(sent.reduce((n, o) => n + o.lineItems.length, 0));
  };

  const burst = async (shop: string, count: number, spreadMs: number) => {
    for (let i = 0; i < count; i++) {
      emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 + (i % 3) }, ...(i % 2 ? [{ sku: 'B', quantity: 1 }] : [])] });
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, spreadMs / (count / 10)));
    }
  };

  it('the app killed (SIGKILL) mid-burst and restarted: every acknowledged delivery is ingested once', async () => {
    const app = new AppProcess(await freePort(), env);
    apps.push(app);
    await app.start();
    const shop = 'sigkill.myshopify.com';
    const businessId = await connected(app, shop);

    const sending = burst(shop, 150, 1500);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await app.kill();
    await sending;
    await app.start();
    await emulator.webhooks.idle();
    expect(emulator.webhooks.deliveries.filter((d) => d.status === 'failed')).toEqual([]);
    await expectExact(businessId, shop);
  }, 90_000);

  it('Postgres connections killed (pg_terminate_backend) during a burst: 200s all ingested, 503s retried and ingested', async () => {
    const app = new AppProcess(await freePort(), env);
    apps.push(app);
    await app.start();
    const shop = 'pgkill.myshopify.com';
    const businessId = await connected(app, shop);

    const sending = burst(shop, 150, 1500);
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    }
    await sending;
    await emulator.webhooks.idle();
    expect(emulator.webhooks.deliveries.filter((d) => d.status === 'failed')).toEqual([]);
    // Whatever a killed connection interrupted is picked up by a retry, the sweeper, or the next poll.
    await api(app, 'POST', '/ecommerce/sync/poll', { businessId });
    await expectExact(businessId, shop);
  });

  it('a duplicate storm: every delivery sent 10 times concurrently over 2 app processes', async () => {
    const first = new AppProcess(await freePort(), env);
    apps.push(first);
    await first.start();
    const second = new AppProcess(await freePort(), { ...env, APP_URL: first.baseUrl });
    apps.push(second);
    await second.start();
    const shop = 'storm.myshopify.com';
    const businessId = await connected(first, shop);

    emulator.setWebhookBehaviour({ dropRate: 1 });
    const orders = Array.from({ length: 40 }, (_, i) => emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }, ...(i % 2 ? [{ sku: 'B', quantity: 2 }] : [])] }));
    emulator.setWebhookBehaviour({ dropRate: 0 });
    const answers = await Promise.all(
      orders.flatMap((order) => {
        const body = JSON.stringify(orderPayload(order));
        const webhookId = `storm-${order.id}`;
        return Array.from({ length: 10 }, (_, i) => sendWebhook((i % 2 ? second : first).baseUrl, { topic: 'orders/create', shop, body, webhookId, secret: API_SECRET }));
      }),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const inbox = await db.query('SELECT count(*)::int AS n FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND webhook_id LIKE $2', [shop, 'storm-%']);
    expect(inbox.rows[0].n).toBe(40);
    await expectExact(businessId, shop);
  });
});
