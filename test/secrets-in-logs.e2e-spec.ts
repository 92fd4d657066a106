import { spawnApp } from './support/spawn-app.js';
import { once } from 'node:events';
import { ShopifyEmulator } from './shopify-emulator/emulator.js';
import { purchaseOrder, sendToSource } from './support/apicbase-sender.js';
import { eventually } from './support/eventually.js';
import { FakeErp } from './support/fake-erp.js';
import { WooCommerceEmulator } from './woocommerce-emulator/emulator.js';
import { API_KEY, API_SECRET } from './support/shopify.js';
import { ADMIN_TOKEN, createTestDatabase, deleteRedisKeys, dropTestDatabase, freePort, testEnv } from './support/test-app.js';

/** The built service in its own process, logging at debug, through a whole connect flow: no secret in any line. */
describe('secrets never reach the logs', () => {
  it("logs neither the access token, the refresh token, the code, the admin token, nor any source's keys and secrets", async () => {
    const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET });
    const woo = await WooCommerceEmulator.start({ deliveryDelayMs: 10 });
    const store = woo.createStore('log-check');
    const erp = await FakeErp.start();
    erp.plan('*', { kind: 'status', status: 422, body: { message: 'Rejected for the log check' } });
    const erpKey = `erp-key-${Date.now()}-secret`;
    const shop = 'log-check.myshopify.com';
    emulator.createShop(shop);
    const database = await createTestDatabase();
    const port = await freePort();
    const prefix = `test-${database}`;
    const env = testEnv(database, prefix, {
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'debug',
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_SHOP_URL_TEMPLATE: emulator.shopUrlTemplate,
    });
    const child = spawnApp(env);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    try {
      await eventually(async () => expect((await fetch(`${base}/health`)).status).toBe(200));
      const business = (await (await fetch(`${base}/businesses`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Logs' }) })).json()) as { id: string };
      const start = (await (await fetch(`${base}/ecommerce/connect`, { method: 'POST', headers: auth, body: JSON.stringify({ businessId: business.id, shop }) })).json()) as { authorizeUrl: string };
      const authorize = await fetch(start.authorizeUrl, { redirect: 'manual' });
      const callback = new URL(authorize.headers.get('location')!);
      expect((await fetch(callback)).status).toBe(200);
      await fetch(`${base}/ecommerce/connection?businessId=${business.id}`, { headers: auth });
      const wooSource = await fetch(`${base}/ecommerce/sources/woocommerce`, { method: 'POST', headers: auth, body: JSON.stringify({ businessId: business.id, storeUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret }) });
      expect(wooSource.status).toBe(201);
      woo.createOrder('log-check', { lines: [{ sku: 'X', quantity: 1 }] });
      const signed = (await (await fetch(`${base}/ecommerce/sources/signed-webhook`, { method: 'POST', headers: auth, body: JSON.stringify({ businessId: business.id, name: 'Apicbase', preset: 'apicbase' }) })).json()) as { webhookUrl: string; secret: string };
      expect((await sendToSource(signed.webhookUrl, signed.secret, purchaseOrder('PO-LOG', [{ article: 'X', quantity: 1 }]))).status).toBe(422);
      expect((await sendToSource(signed.webhookUrl, 'wrong-secret', purchaseOrder('PO-LOG', [{ article: 'X', quantity: 1 }]))).status).toBe(401);
      await eventually(() => expect(woo.deliveries.filter((d) => d.status === 200)).toHaveLength(1));
      const destination = (await (
        await fetch(`${base}/ecommerce/forwarding/destinations`, { method: 'POST', headers: auth, body: JSON.stringify({ businessId: business.id, name: 'ERP', url: erp.url, authHeader: { name: 'X-Api-Key', value: erpKey }, notifyEmails: ['ops@example.com'] }) })
      ).json()) as { signingSecret: string };
      emulator.createOrder(shop, { lineItems: [{ sku: 'X', quantity: 1 }] });
      // Held at once (422), and without SMTP_URL its e-mail is written to the log instead.
      await eventually(() => expect(output).toContain('SMTP_URL is not set: alert e-mail written here instead'), 20_000);
      expect(output).toContain('Rejected for the log check');
      expect(erp.received[0].headers['x-api-key']).toBe(erpKey);

      child.kill('SIGTERM');
      await once(child, 'exit');
      const secrets = [
        ...emulator.shop(shop).tokens.keys(),
        ...emulator.shop(shop).refreshTokens.keys(),
        callback.searchParams.get('code')!,
        ADMIN_TOKEN,
        API_SECRET,
        store.consumerKey,
        store.consumerSecret,
        ...[...store.webhooks.values()].map((w) => w.secret),
        signed.secret,
        erpKey,
        destination.signingSecret.slice('whsec_'.length),
      ];
      expect(secrets.length).toBeGreaterThanOrEqual(12);
      expect(output).toContain('/ecommerce/oauth/callback');
      for (const secret of secrets) expect(output).not.toContain(secret);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await emulator.stop();
      await woo.stop();
      await erp.stop();
      await dropTestDatabase(database);
      await deleteRedisKeys(prefix);
    }
  });
});
