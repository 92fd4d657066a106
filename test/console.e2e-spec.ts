import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OrderIngestionService } from '../src/ecommerce/orders/order-ingestion.service.js';
import { orderPayload } from './shopify-emulator/emulator.js';
import { shopifyJson } from './shopify-emulator/state.js';
import { launchChromium, screenshotDir } from './support/browser.js';
import { eventually } from './support/eventually.js';
import { FakeErp } from './support/fake-erp.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { sendWebhook } from './support/webhooks.js';

const SCRIPT_NAME = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

/**
 * The support console in a real browser (Debian's chromium, driven by playwright-core): a support person finds
 * why an order did not arrive, an admin replays a failed delivery and reprocesses an order held for the ERP, a
 * support key sees the admin buttons refused, and a product name holding markup is shown as text.
 */
describe('the support console, in chromium', () => {
  let ctx: ShopifyTestContext;
  let browser: Browser;
  let page: Page;
  let erp: FakeErp;
  let businessId: string;
  let supportKey: string;
  let adminKey: string;
  let lostOrderId: string;
  let lostOrderName: string;
  const shop = 'corner-coffee.myshopify.com';
  const shots = screenshotDir();
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    erp = await FakeErp.start();
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx, 'Corner Coffee');
    for (const [sku, name] of [['BEAN-ETH', 'Ethiopia beans 250 g'], ['MUG-XSS', SCRIPT_NAME]]) {
      expect((await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name, price: '9.50', stock: 40 })).status).toBe(201);
    }
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
    const destination = await ctx.http.post('/ecommerce/forwarding/destinations').set(bearer()).send({ businessId, name: 'Back office ERP', url: erp.url });
    erp.secret = destination.body.secret as string;
    supportKey = (await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'desk', role: 'support' })).body.key as string;
    adminKey = (await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'lead', role: 'admin' })).body.key as string;

    // An order whose webhooks never arrive: the next poll recovers it.
    ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'BEAN-ETH', quantity: 1 }] });
    ctx.emulator.setWebhookBehaviour({ dropNext: 2 });
    const lost = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'BEAN-ETH', quantity: 2 }, { sku: 'MUG-XSS', quantity: 1 }] });
    lostOrderName = lost.name;
    await ctx.emulator.webhooks.idle();
    const poll = await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId });
    await eventually(async () => expect((await ctx.http.get(poll.body.statusUrl).set(bearer())).body.state).toBe('completed'));
    lostOrderId = (await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${encodeURIComponent(lost.name)}`).set(bearer())).body.items[0].id as string;

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => {
      throw error;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await erp?.stop();
    await ctx?.close();
  });

  const signIn = async (key: string) => {
    await page.goto(`${ctx.baseUrl}/console/#/`);
    // A fresh tab: whoever was signed in before is gone.
    await page.evaluate('sessionStorage.clear()');
    await page.reload();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Businesses' }).waitFor();
  };

  it('serves the page with a policy that runs only its own scripts, and refuses a wrong key', async () => {
    const res = await fetch(`${ctx.baseUrl}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    await page.goto(`${ctx.baseUrl}/console`);
    await page.getByLabel('API key').fill('pk_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it("support: why didn't the order arrive? Found by its number, its timeline shows the poll that recovered it", async () => {
    await signIn(supportKey);
    expect(page.url()).not.toContain(supportKey);
    expect(await page.evaluate("sessionStorage.getItem('pos-console-key')")).toBe(supportKey);
    const row = page.getByRole('row').filter({ hasText: 'Corner Coffee' });
    await row.getByText(/green|amber|red/).waitFor();
    await shot('businesses');
    await row.getByRole('link', { name: 'Corner Coffee' }).click();
    await page.getByRole('heading', { name: /Sync health/ }).waitFor();
    await page.getByText('Orders ingested per hour').waitFor();
    await shot('overview');

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByLabel('Number, order id, SKU or e-mail').fill(lostOrderName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: lostOrderName }).waitFor();
    expect(await page.getByRole('row').count()).toBe(2);
    await shot('orders');
    await page.getByRole('link', { name: lostOrderName }).click();
    await page.getByRole('heading', { name: new RegExp(`Order ${lostOrderName}`) }).waitFor();
    expect(page.url()).toContain(`#/o/${lostOrderId}`);
    const timeline = page.locator('ol.timeline');
    await timeline.getByText(/ingested from poll/).waitFor();
    await expect_(timeline.locator('li', { hasText: 'poll' }).first().textContent()).resolves.toMatch(/Poll of corner-coffee\.myshopify\.com/);
    // No webhook saw it: its deliveries are none, and the poll is what brought it.
    expect(await timeline.locator('li', { hasText: 'webhook' }).count()).toBe(0);
    // The product name holding markup is text on the page, and nothing of it ran.
    await page.getByText(SCRIPT_NAME, { exact: false }).first().waitFor();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
    await shot('order');
  });

  it('support: every button that changes something is refused, and the API refuses it too', async () => {
    await page.goto(`${ctx.baseUrl}/console/#/o/${lostOrderId}`);
    for (const name of ['Fulfil in the shop', 'Cancel in the shop', 'Mark paid in the shop']) {
      const button = page.getByRole('button', { name });
      await button.waitFor();
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('title')).toMatch(/Needs an admin/);
    }
    await page.goto(`${ctx.baseUrl}/console/#/b/${businessId}/inbox`);
    expect(await page.getByRole('button', { name: 'Replay all failed' }).isDisabled()).toBe(true);
    await page.goto(`${ctx.baseUrl}/console/#/b/${businessId}/settings`);
    await page.getByText('Changing settings needs an admin key').waitFor();
    expect(await page.getByRole('button', { name: 'Create an API key' }).isDisabled()).toBe(true);
    // The browser's own session, as the page holds it: the server refuses the action whatever the page shows.
    const forced = await page.evaluate(`fetch('/ecommerce/orders/${lostOrderId}/mark-paid', { method: 'POST', headers: { authorization: 'Bearer ' + sessionStorage.getItem('pos-console-key') } }).then((r) => r.status)`);
    expect(forced).toBe(403);
  });

  it('admin: replays a failed delivery from the inbox, and the order arrives once', async () => {
    const ingestion = ctx.app.get(OrderIngestionService, { strict: false });
    ingestion.beforeCommit = () => {
      throw new Error('database trouble');
    };
    ctx.emulator.setWebhookBehaviour({ dropRate: 1 });
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'BEAN-ETH', quantity: 3 }] });
    ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
    const webhookId = randomUUID();
    try {
      await sendWebhook(ctx.baseUrl, { topic: 'orders/create', shop, body: shopifyJson(orderPayload(order)), webhookId });
      await eventually(async () => expect((await ctx.db.query('SELECT status FROM ecommerce_webhook_delivery WHERE webhook_id = $1', [webhookId])).rows[0]?.status).toBe('failed'), 60_000, 200);
    } finally {
      ingestion.beforeCommit = null;
    }
    await signIn(adminKey);
    await page.goto(`${ctx.baseUrl}/console/#/b/${businessId}/inbox?status=failed`);
    const row = page.getByRole('row').filter({ hasText: webhookId });
    await row.getByText('database trouble').waitFor();
    await shot('inbox');
    await row.getByRole('button', { name: 'Replay' }).click();
    await row.getByRole('status').filter({ hasText: 'Queued again' }).waitFor();
    await eventually(async () => expect((await ctx.db.query('SELECT status FROM ecommerce_webhook_delivery WHERE webhook_id = $1', [webhookId])).rows[0].status).toBe('processed'));
    const orders = await ctx.db.query('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE business_id = $1 AND external_order_id = $2', [businessId, String(order.id)]);
    expect(orders.rows[0].n).toBe(1);
    // Arrives once in the ERP too; and its send is over before the next test tells the ERP how to answer.
    await eventually(() => expect(erp.for(order.name).map((r) => r.answered)).toEqual([200]));
  });

  it('admin: reprocesses an order held for the ERP, in bulk with progress', async () => {
    const order = ctx.emulator.createOrder(shop, { lineItems: [{ sku: 'BEAN-ETH', quantity: 1 }] });
    // Planned for this order alone (its webhook leaves on a later tick): a late send of another order cannot use it up.
    erp.plan(order.name, { kind: 'status', status: 422, body: { message: 'customer number missing' } });
    await eventually(async () => {
      const held = await ctx.http.get(`/ecommerce/forwarding/messages?businessId=${businessId}&status=on_hold`).set(bearer());
      expect(held.body.items.map((m: { orderNumber: string }) => m.orderNumber)).toContain(order.name);
    });
    erp.clearPlans();
    await page.goto(`${ctx.baseUrl}/console/#/b/${businessId}/forwarding`);
    await page.getByRole('row').filter({ hasText: order.name }).getByText(/customer number missing/).waitFor();
    await shot('forwarding');
    await page.getByRole('button', { name: 'Reprocess all on hold' }).click();
    await page.getByRole('status').filter({ hasText: /sent again/ }).waitFor();
    await eventually(async () => {
      const messages = await ctx.http.get(`/ecommerce/forwarding/messages?businessId=${businessId}`).set(bearer());
      expect(messages.body.items.find((m: { orderNumber: string }) => m.orderNumber === order.name)?.status).toBe('in_progress');
    });
  });

  it('admin: sync logs link to their order; settings show secrets once; a catalog push shows its progress until done', async () => {
    await page.goto(`${ctx.baseUrl}/console/#/b/${businessId}/logs?type=order`);
    await page.getByRole('row').filter({ hasText: lostOrderName }).getByRole('link', { name: 'order' }).first().waitFor();
    await shot('logs');
    await page.getByRole('row').filter({ hasText: lostOrderName }).getByRole('link', { name: 'order' }).first().click();
    await page.getByRole('heading', { name: new RegExp(`Order ${lostOrderName}`) }).waitFor();
    // The status actions go back to the shop from the order page.
    await page.getByLabel('Carrier').fill('UPS');
    await page.getByLabel('Tracking number').fill('1ZCONSOLE');
    await page.getByRole('button', { name: 'Fulfil in the shop' }).click();
    await page.getByRole('status').filter({ hasText: 'Fulfilment requested' }).waitFor();
    await eventually(async () => expect(ctx.emulator.shop(shop).orders.get(BigInt((await ctx.db.query('SELECT external_order_id FROM ecommerce_ingested_order WHERE id = $1', [lostOrderId])).rows[0].external_order_id))!.fulfillments[0]?.tracking?.number).toBe('1ZCONSOLE'));

    await page.goto(`${ctx.baseUrl}/console/#/b/${businessId}/settings`);
    const keyForm = page.locator('form', { has: page.getByRole('button', { name: 'Create an API key' }) });
    await keyForm.getByLabel('Name').fill('night shift');
    await keyForm.getByRole('button', { name: 'Create an API key' }).click();
    const secret = await page.locator('.secret').first().textContent();
    expect(secret).toMatch(/^pk_/);
    const keys = await ctx.http.get('/admin/api-keys').set(bearer());
    expect(keys.body.items.map((k: { name: string }) => k.name)).toContain('night shift');
    await shot('settings');

    await page.getByRole('button', { name: 'Push the catalog to Shopify' }).click();
    await page.getByRole('heading', { name: /Job/ }).waitFor();
    await page.locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 30_000 });
    await page.getByText(/processed: 2/).waitFor();
    await shot('job');
  });
});

/** expect() for a promise, in the order the code reads. */
const expect_ = <T>(value: Promise<T>) => expect(value);
