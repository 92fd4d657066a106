import pg from 'pg';
import { ShopifyEmulator } from '../shopify-emulator/emulator.js';
import { callApi } from './admin-api.js';
import { AppProcess } from './app-process.js';
import { eventually } from './eventually.js';
import { freePort } from './net.js';
import { API_KEY, API_SECRET } from './shopify.js';
import { ADMIN_TOKEN, createTestDatabase, deleteRedisKeys, dropTestDatabase, testEnv } from './test-app.js';

/**
 * A test bed of built app processes (any number, any ROLE) sharing one fresh database, one Redis prefix and one
 * emulator, with the helpers that check the database against what the emulator sent.
 */
export class ProcessBed {
  readonly apps: AppProcess[] = [];

  private constructor(
    readonly emulator: ShopifyEmulator,
    readonly database: string,
    readonly prefix: string,
    readonly env: Record<string, string>,
    readonly db: pg.Client,
  ) {}

  static async start(overrides: Record<string, string> = {}, emulatorOptions: { bucketSize?: number; restoreRate?: number } = {}): Promise<ProcessBed> {
    const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET, ...emulatorOptions });
    emulator.setWebhookBehaviour({ retryScheduleMs: [200, 400, 800, 1600, 3200, 3200, 3200] });
    const database = await createTestDatabase();
    const prefix = `test-${database}`;
    const env = testEnv(database, prefix, {
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_SHOP_URL_TEMPLATE: emulator.shopUrlTemplate,
      LOG_LEVEL: 'warn',
      ...overrides,
    });
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    return new ProcessBed(emulator, database, prefix, env, db);
  }

  /** Starts one more app process; `env` adds to or overrides the bed's environment. */
  async app(env: Record<string, string> = {}): Promise<AppProcess> {
    const app = new AppProcess(await freePort(), { ...this.env, ...env });
    this.apps.push(app);
    await app.start();
    return app;
  }

  async stop(): Promise<void> {
    for (const app of this.apps) {
      // An app that died during the test explains the failure better than the assertion does.
      if (app.exited) process.stderr.write(`app on port ${app.port} exited during the test:\n${app.output.slice(-4000)}\n`);
    }
    for (const app of this.apps.splice(0)) await app.stop();
    await this.emulator.stop();
    await this.db.end();
    await dropTestDatabase(this.database);
    await deleteRedisKeys(this.prefix);
  }

  api(app: AppProcess, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
    return callApi(app.baseUrl, ADMIN_TOKEN, method, path, body);
  }

  /** A business with products A and B (stock 100,000), connected to `shop` through OAuth. */
  async connected(app: AppProcess, shop: string): Promise<string> {
    this.emulator.createShop(shop);
    const business = await this.api(app, 'POST', '/businesses', { name: 'Process bed' });
    for (const sku of ['A', 'B']) await this.api(app, 'POST', `/businesses/${business.id}/products`, { sku, name: sku, price: '1.00', stock: 100_000 });
    const start = await this.api(app, 'POST', '/ecommerce/connect', { businessId: business.id, shop });
    const authorize = await fetch(start.authorizeUrl as string, { redirect: 'manual' });
    expect((await fetch(authorize.headers.get('location')!)).status).toBe(200);
    return business.id as string;
  }

  /** Has the emulator create `count` orders over about `spreadMs`; each line is product A or B. */
  async burst(shop: string, count: number, spreadMs: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 + (i % 3) }, ...(i % 2 ? [{ sku: 'B', quantity: 1 }] : [])] });
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, spreadMs / (count / 10)));
    }
  }

  /** The database against the emulator: every order once, one decrement per line, stock exact. */
  async expectExact(businessId: string, shop: string): Promise<void> {
    const sent = [...this.emulator.shop(shop).orders.values()];
    const units = { A: 0, B: 0 };
    for (const order of sent) for (const line of order.lineItems) units[line.sku as 'A' | 'B'] += line.quantity;
    await eventually(async () => {
      const orders = await this.db.query('SELECT external_order_id FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
      expect(orders.rows.map((r) => r.external_order_id).sort()).toEqual(sent.map((o) => String(o.id)).sort());
    }, 60_000, 200);
    const stock = await this.db.query('SELECT sku, stock FROM product WHERE business_id = $1 ORDER BY sku', [businessId]);
    expect(stock.rows).toEqual([
      { sku: 'A', stock: 100_000 - units.A },
      { sku: 'B', stock: 100_000 - units.B },
    ]);
    const movements = await this.db.query("SELECT count(*)::int AS n FROM stock_movement WHERE business_id = $1 AND reason = 'online_order'", [businessId]);
    expect(movements.rows[0].n).toBe(sent.reduce((n, o) => n + o.lineItems.length, 0));
  }
}
