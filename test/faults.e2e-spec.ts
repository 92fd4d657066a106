import { orderPayload } from './shopify-emulator/emulator.js';
import { ProcessBed } from './support/process-bed.js';
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
        const body = JSON.stringify(orderPayload(order));
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
