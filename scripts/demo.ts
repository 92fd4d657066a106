/**
 * `npm run demo`: the whole product in one command, for a newcomer. It starts the Shopify emulator with a demo
 * shop and the real app pointed at it (a database and Redis prefix of its own), connects the shop through the
 * real OAuth flow, pushes a small catalog, has the shop send orders (with duplicates and one lost webhook that
 * the next poll recovers), connects a WooCommerce store (its emulator) and an Apicbase-style signed-webhook
 * sender with an order from each, and says what happened at each step and where to look.
 *
 * `--exit` (or DEMO_EXIT=1) ends the demo after the tour; otherwise the app stays up for exploring until Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ensureDatabase, quoteIdent } from '../src/database/ensure-database.js';
import { ShopifyEmulator } from '../test/shopify-emulator/emulator.js';
import { callApi } from '../test/support/admin-api.js';
import { purchaseOrder, sendToSource } from '../test/support/apicbase-sender.js';
import { FakeErp } from '../test/support/fake-erp.js';
import { WooCommerceEmulator } from '../test/woocommerce-emulator/emulator.js';
import { freePort } from '../test/support/net.js';
import { deleteRedisKeys } from '../test/support/redis-keys.js';

const SHOP = 'demo-shop.myshopify.com';
const API_KEY = 'demo-api-key';
const API_SECRET = 'demo-api-secret-change-me';
const CATALOG = [
  { sku: 'BEAN-ETH', name: 'Ethiopia beans 250 g', price: '12.50', stock: 40, category: 'Coffee beans' },
  { sku: 'BEAN-COL', name: 'Colombia beans 250 g', price: '11.00', stock: 35, category: 'Coffee beans' },
  { sku: 'MUG-BLU', name: 'Blue mug', price: '9.00', stock: 20, category: 'Drinkware' },
  { sku: 'CUP-TRV', name: 'Travel cup', price: '18.00', stock: 12, category: 'Drinkware' },
];

const say = (text: string) => process.stdout.write(`${text}\n`);
const step = (text: string) => say(`\n== ${text}`);

async function portOr(preferred: number): Promise<number> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => void freePort().then(resolve));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

/** This run's own database next to the one DATABASE_URL names: nobody else's data is touched. */
async function runDatabase(databaseUrl: string, runId: string): Promise<string> {
  const url = new URL(databaseUrl);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1)) || 'pos_ecommerce'}_demo_${runId}`;
  await ensureDatabase(url.toString());
  return url.toString();
}

/** Removes what this run created, and only that: its database and its Redis keys. */
async function removeRun(databaseUrl: string, redisUrl: string, queuePrefix: string): Promise<void> {
  const admin = new URL(databaseUrl);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await deleteRedisKeys(redisUrl, queuePrefix);
}

interface Page<T> {
  items: T[];
}
interface OrderView {
  id: string;
  externalOrderId: string;
  orderNumber: string;
  source: string;
  provider: string;
  lines: Array<{ sku: string; quantity: number }>;
}
interface LogView {
  status: string;
  message: string;
}
interface StatusView {
  healthy: boolean;
  flags: Array<{ reason: string }>;
}
type Created = { id: string };

class Api {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callApi<T>(this.baseUrl, this.token, method, path, body);
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const exitAfterTour = process.argv.includes('--exit') || process.env.DEMO_EXIT === '1';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = randomBytes(3).toString('hex');
  const queuePrefix = `${process.env.QUEUE_PREFIX ?? 'demo'}-${runId}`;
  const adminToken = process.env.DEMO_ADMIN_TOKEN ?? `demo-admin-${randomBytes(8).toString('hex')}`;

  step('Starting the Shopify emulator and the app');
  const emulator = await ShopifyEmulator.start({ port: await portOr(Number(process.env.EMULATOR_PORT ?? 4010)), apiKey: API_KEY, apiSecret: API_SECRET });
  emulator.createShop(SHOP);
  say(`Shopify emulator on ${emulator.baseUrl}, with the shop ${SHOP}`);
  const woo = await WooCommerceEmulator.start({ port: await portOr(Number(process.env.WOO_EMULATOR_PORT ?? 4020)) });
  const wooStore = woo.createStore('demo-store');
  say(`WooCommerce emulator on ${woo.baseUrl}, with the store ${wooStore.url}`);
  const erp = await FakeErp.start();
  say(`A fake ERP on ${erp.url}`);

  const databaseUrl = await runDatabase(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/pos_ecommerce', runId);
  cleanupOnFailure = () => removeRun(databaseUrl, redisUrl, queuePrefix);
  const port = await portOr(Number(process.env.PORT ?? 3000));
  const appUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const app: ChildProcess = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      APP_URL: appUrl,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      ADMIN_TOKEN: adminToken,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_SHOP_URL_TEMPLATE: emulator.shopUrlTemplate,
      ROLE: 'all',
      LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Whatever ends this script must not leave the app running behind it.
  process.on('exit', () => app.kill('SIGTERM'));
  app.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  app.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (code: number) => {
    if (app.exitCode === null) {
      app.kill('SIGTERM');
      await once(app, 'exit');
    }
    await emulator.stop();
    await woo.stop();
    await erp.stop();
    await removeRun(databaseUrl, redisUrl, queuePrefix).catch((error: unknown) => say(`Could not remove this run's database and keys: ${String(error)}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await until('the app to answer /health', async () => {
      if (app.exitCode !== null) throw new Error(`the app exited:\n${output}`);
      return (await fetch(`${appUrl}/health`)).ok;
    });
  } catch (error) {
    say(`The app did not start. Is Postgres up at ${databaseUrl.replace(/:[^:@/]*@/, ':***@')} and Redis at ${redisUrl}?\n${output.slice(-3000)}`);
    throw error;
  }
  say(`App on ${appUrl} (database ${new URL(databaseUrl).pathname.slice(1)}, admin token ${adminToken})`);
  const api = new Api(appUrl, adminToken);

  step('Creating a POS business with a small catalog');
  const business = await api.call<Created>('POST', '/businesses', { name: 'Corner Coffee' });
  const categories = new Map<string, string>();
  const products = new Map<string, string>();
  for (const item of CATALOG) {
    if (!categories.has(item.category)) categories.set(item.category, (await api.call<Created>('POST', `/businesses/${business.id}/categories`, { name: item.category })).id);
    const product = await api.call<Created>('POST', `/businesses/${business.id}/products`, { ...item, category: undefined, categoryId: categories.get(item.category) });
    products.set(item.sku, product.id);
    say(`  ${item.sku.padEnd(9)} ${item.name.padEnd(22)} stock ${item.stock}`);
  }

  step(`Connecting ${SHOP} through Shopify's OAuth flow`);
  const { authorizeUrl } = await api.call<{ authorizeUrl: string }>('POST', '/ecommerce/connect', { businessId: business.id, shop: SHOP });
  say(`  1. the merchant opens ${authorizeUrl.split('?')[0]}?...`);
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  const callback = authorize.headers.get('location');
  if (!callback) throw new Error(`the emulator did not redirect back (HTTP ${authorize.status})`);
  say('  2. the shop approves and redirects to /ecommerce/oauth/callback (signed, single-use state)');
  const connected = (await (await fetch(callback)).json()) as Record<string, unknown>;
  say(`  3. connected: ${JSON.stringify(connected)}`);
  say(`     webhooks registered with the shop: ${[...emulator.shop(SHOP).webhookSubscriptions.values()].map((s) => s.topic).join(', ')}`);

  step('Pushing the catalog to Shopify');
  await api.call<unknown>('POST', '/ecommerce/sync/collections', { businessId: business.id });
  await api.call<unknown>('POST', '/ecommerce/sync/products', { businessId: business.id });
  for (const type of ['collection_sync', 'product_sync']) {
    const log = await until(`the ${type} run`, async () => (await api.call<Page<LogView>>('GET', `/ecommerce/sync/logs?businessId=${business.id}&type=${type}`)).items[0]);
    say(`  ${type}: ${log.status}, ${log.message}`);
  }
  say(`  the shop now has ${emulator.shop(SHOP).products.size} products and ${emulator.shop(SHOP).collections.size} collections`);

  step("Forwarding every order to the merchant's ERP");
  const destination = await api.call<{ id: string; signingSecret: string }>('POST', '/ecommerce/forwarding/destinations', {
    businessId: business.id,
    name: 'Back office ERP',
    url: erp.url,
    authHeader: { name: 'X-Api-Key', value: 'demo-erp-key' },
    erpOrderIdPath: 'object.order_id',
    messagePath: 'message',
  });
  erp.secret = destination.signingSecret;
  erp.auth = { name: 'X-Api-Key', value: 'demo-erp-key' };
  say(`  destination created; it checks our Standard Webhooks signature with ${destination.signingSecret.slice(0, 10)}… (shown once)`);

  step('The shop receives orders; Shopify sends webhooks (some twice, one never)');
  const stockOf = async (sku: string) => (await api.call<{ stock: number }>('GET', `/businesses/${business.id}/products/${products.get(sku)}`)).stock;
  emulator.setWebhookBehaviour({ duplicates: 1 });
  const first = emulator.createOrder(SHOP, { lineItems: [{ sku: 'BEAN-ETH', quantity: 2 }, { sku: 'MUG-BLU', quantity: 1 }] });
  const second = emulator.createOrder(SHOP, { lineItems: [{ sku: 'BEAN-COL', quantity: 1 }] });
  say(`  order ${first.name} (2 x BEAN-ETH, 1 x MUG-BLU) and ${second.name} (1 x BEAN-COL): every webhook delivered twice`);
  emulator.setWebhookBehaviour({ duplicates: 0 });
  const third = emulator.createOrder(SHOP, { lineItems: [{ sku: 'CUP-TRV', quantity: 3 }] });
  say(`  order ${third.name} (3 x CUP-TRV)`);
  emulator.setWebhookBehaviour({ dropNext: 2 });
  const lost = emulator.createOrder(SHOP, { lineItems: [{ sku: 'BEAN-ETH', quantity: 5 }] });
  say(`  order ${lost.name} (5 x BEAN-ETH): its webhooks are lost on the way`);

  const orders = await until('the three delivered orders', async () => {
    const page = await api.call<Page<OrderView>>('GET', `/ecommerce/orders?businessId=${business.id}`);
    return page.items.length >= 3 && page.items;
  });
  await emulator.webhooks.idle();
  const inbox = await api.call<Page<unknown>>('GET', `/ecommerce/webhooks/deliveries?businessId=${business.id}&limit=200`);
  const sent = emulator.webhooks.deliveries;
  say(
    `  Shopify sent ${sent.filter((d) => d.status === 'delivered').length} webhook requests (and lost ${sent.filter((d) => d.status === 'dropped').length}); ` +
      `the app stored ${inbox.items.length} distinct deliveries and ingested ${orders.length} orders, each once:`,
  );
  for (const order of [...orders].reverse()) {
    say(`    ${order.orderNumber} via ${order.source}: ${order.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ')}`);
  }

  step('The next poll recovers the order whose webhook was lost');
  say('  (polling runs every 15 minutes; the demo asks for a poll now: POST /ecommerce/sync/poll)');
  await api.call<unknown>('POST', '/ecommerce/sync/poll', { businessId: business.id });
  const recovered = await until(`order ${lost.name}`, async () =>
    (await api.call<Page<OrderView>>('GET', `/ecommerce/orders?businessId=${business.id}`)).items.find((o) => o.externalOrderId === String(lost.id)),
  );
  say(`  ${recovered.orderNumber} ingested via ${recovered.source}`);
  const poll = await until('the poll log', async () => (await api.call<Page<LogView>>('GET', `/ecommerce/sync/logs?businessId=${business.id}&type=poll&limit=1`)).items[0]);
  say(`  poll: ${poll.message}`);

  step('More order sources: a WooCommerce store and an Apicbase-style signed webhook');
  const wooSource = await api.call<{ id: string; webhookUrl: string }>('POST', '/ecommerce/sources/woocommerce', {
    businessId: business.id,
    storeUrl: wooStore.url,
    consumerKey: wooStore.consumerKey,
    consumerSecret: wooStore.consumerSecret,
  });
  say(`  WooCommerce store connected: keys checked, ${wooStore.webhooks.size} order webhooks registered, polling scheduled`);
  const wooOrder = woo.createOrder('demo-store', { lines: [{ sku: 'MUG-BLU', quantity: 2 }] });
  const fromWoo = await until(`WooCommerce order #${wooOrder.id}`, async () =>
    (await api.call<Page<OrderView>>('GET', `/ecommerce/orders?businessId=${business.id}&q=${wooOrder.id}`)).items.find((o) => o.provider === 'woocommerce'),
  );
  say(`  from WooCommerce: ${fromWoo.orderNumber} via ${fromWoo.source}: ${fromWoo.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ')}`);
  const apicbase = await api.call<{ id: string; webhookUrl: string; secret: string }>('POST', '/ecommerce/sources/signed-webhook', { businessId: business.id, name: 'Apicbase', preset: 'apicbase' });
  say(`  Apicbase source created: it posts to ${apicbase.webhookUrl}, signing with the secret shown once`);
  const unknown = await sendToSource(apicbase.webhookUrl, apicbase.secret, purchaseOrder('PO-0001', [{ article: 'TEA-GRN', quantity: 1 }]));
  say(`  a purchase order for an article the POS does not sell: ${unknown.status} ${String(unknown.body.message)}`);
  const accepted = await sendToSource(apicbase.webhookUrl, apicbase.secret, purchaseOrder('PO-0002', [{ article: 'CUP-TRV', quantity: 1 }]));
  const fromApicbase = (await api.call<Page<OrderView>>('GET', `/ecommerce/orders?businessId=${business.id}&q=PO-0002`)).items[0];
  say(`  from Apicbase: answered ${accepted.status}; ${fromApicbase.orderNumber}: ${fromApicbase.lines.map((l) => `${l.quantity} x ${l.sku}`).join(', ')}`);
  const sources = await api.call<Array<{ provider: string; name: string; status: string }>>('GET', `/ecommerce/sources?businessId=${business.id}`);
  say(`  sources of the business: ${sources.map((s) => `${s.provider} ${s.name} (${s.status})`).join(', ')}`);

  step('What the ERP received');
  const forwarded = await until('every order in the ERP', async () => {
    const page = await api.call<Page<{ orderNumber: string; status: string; erpOrderId: string | null }>>('GET', `/ecommerce/forwarding/messages?businessId=${business.id}&limit=50`);
    return page.items.length >= 6 && page.items.every((m) => m.status === 'in_progress') && page.items;
  });
  say(`  ${erp.received.length} signed posts, ${erp.received.filter((r) => r.verified).length} verified by the ERP; each order once:`);
  for (const message of [...forwarded].reverse()) say(`    ${message.orderNumber} -> ${message.erpOrderId}`);

  step("The ERP ships an order: its tracking number reaches the shop");
  const erpKey = await api.call<{ key: string }>('POST', '/admin/api-keys', { name: 'ERP', role: 'operator' });
  const shipped = orders.find((o) => o.externalOrderId === String(first.id))!;
  const fulfil = await new Api(appUrl, erpKey.key).call<{ requestId: string }>('POST', `/ecommerce/orders/${shipped.id}/fulfillment`, {
    trackingCompany: 'DHL Express',
    trackingNumber: 'JD014600006281230704',
    notifyCustomer: true,
  });
  say(`  the ERP (an operator key) asks: POST /ecommerce/orders/${shipped.id}/fulfillment -> 202, request ${fulfil.requestId}`);
  const request = await until(`the fulfilment of ${shipped.orderNumber}`, async () => {
    const detail = await api.call<{ statusRequests: Array<{ id: string; status: string; attempts: number }> }>('GET', `/ecommerce/orders/${shipped.id}`);
    return detail.statusRequests.find((r) => r.id === fulfil.requestId && r.status !== 'pending');
  });
  const inShop = emulator.shop(SHOP).orders.get(first.id)!.fulfillments.at(-1);
  say(`  request ${request.status} after ${request.attempts} attempt(s); the shop's order ${first.name} now has a fulfillment: ${inShop?.tracking?.company ?? '-'} ${inShop?.tracking?.number ?? '-'}`);

  step('POS stock after the orders (each decremented exactly once)');
  for (const item of CATALOG) say(`  ${item.sku.padEnd(9)} ${String(item.stock).padStart(3)} -> ${await stockOf(item.sku)}`);
  const status = await api.call<StatusView>('GET', `/ecommerce/status?businessId=${business.id}`);
  say(`  sync status: ${status.healthy ? 'healthy' : `needs attention: ${status.flags.map((f) => f.reason).join(' | ')}`}`);

  step('Where to look');
  const auth = `-H 'Authorization: Bearer ${adminToken}'`;
  say(`  API docs:     ${appUrl}/docs`);
  say(`  sync logs:    curl ${auth} '${appUrl}/ecommerce/sync/logs?businessId=${business.id}'`);
  say(`  status:       curl ${auth} '${appUrl}/ecommerce/status?businessId=${business.id}'`);
  say(`  orders:       curl ${auth} '${appUrl}/ecommerce/orders?businessId=${business.id}'`);
  say(`  an order's timeline: curl ${auth} '${appUrl}/ecommerce/orders/${recovered.id}'`);
  say(`  metrics:      ${appUrl}/metrics      health: ${appUrl}/health`);
  say(`  more orders:  curl -X POST -H 'content-type: application/json' ${emulator.baseUrl}/_control/shops/${SHOP}/orders -d '{"lineItems":[{"sku":"MUG-BLU","quantity":1}]}'`);
  say(`  WooCommerce:  curl -X POST -H 'content-type: application/json' ${woo.baseUrl}/_control/stores/demo-store/orders -d '{"lines":[{"sku":"MUG-BLU","quantity":1}]}'`);
  say(`  ERP forwarding: curl ${auth} '${appUrl}/ecommerce/forwarding/messages?businessId=${business.id}'`);
  say(`  status back to the shop: curl -X POST ${auth} -H 'content-type: application/json' '${appUrl}/ecommerce/orders/${shipped.id}/fulfillment' -d '{"trackingNumber":"..."}' (also /mark-paid, /cancel)`);
  say(`  sources:      curl ${auth} '${appUrl}/ecommerce/sources?businessId=${business.id}'   (WooCommerce source ${wooSource.id})`);

  if (exitAfterTour) {
    say('\nDemo complete.');
    await stop(0);
  } else {
    say(`\nThe app and the emulator keep running; Ctrl-C stops both and removes this run's database and Redis keys.`);
  }
}

/** Set once this run has a database: a failed tour removes it too. */
let cleanupOnFailure: (() => Promise<void>) | null = null;

main().catch(async (error: unknown) => {
  process.stderr.write(`Demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanupOnFailure?.().catch(() => undefined);
  process.exit(1);
});
