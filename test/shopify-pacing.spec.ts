import { ShutdownSignal } from '../src/common/lifecycle/shutdown-signal.js';
import type { AppConfig } from '../src/config/app-config.js';
import { ShopifyGraphqlClient } from '../src/ecommerce/shopify/shopify-graphql.client.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { ShopifyEmulator } from './shopify-emulator/emulator.js';

const SHOP = 'pacing.myshopify.com';
const BIG = 'query Big { orders(first: 78) { nodes { id } } }';
const SMALL = 'query Small { orders(first: 5) { nodes { id } } }';

/**
 * The cost bucket is Shopify's per app and shop, however many threads of ours spend it. Two clients stand in for
 * the api and worker threads of one process (each thread builds its own), against the emulator over HTTP, on a
 * 100-point bucket restoring 50 a second.
 */
describe('Shopify cost pacing shared by the threads of one process', () => {
  let emulator: ShopifyEmulator;
  const session = { shop: SHOP, accessToken: 'shpat_pacing' };
  const clients: ShopifyGraphqlClient[] = [];
  const client = (apiKey: string) => {
    const config = { shopify: { apiKey, shopUrlTemplate: emulator.shopUrlTemplate, apiVersion: '2026-10' } } as AppConfig;
    const created = new ShopifyGraphqlClient(config, new ShutdownSignal(), new MetricsService());
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    emulator = await ShopifyEmulator.start({ apiKey: 'pacing-key', apiSecret: 'pacing-secret' });
    const shop = emulator.createShop(SHOP, { bucketSize: 100, restoreRate: 50 });
    shop.tokens.set(session.accessToken, { token: session.accessToken, scope: 'read_orders', expiresAt: null });
    // Enough orders that a page costs what it asked for: the emulator charges what the answer really holds.
    for (let i = 0; i < 80; i++) emulator.createOrder(SHOP, { lineItems: [{ sku: 'PACE', quantity: 1 }] });
  });
  afterAll(async () => {
    for (const c of clients) c.onModuleDestroy();
    await emulator.stop();
  });

  it("a page that needs most of the bucket waits for what another thread spent meanwhile, and is never THROTTLED", async () => {
    const worker = client('pacing-key');
    const api = client('pacing-key');
    const throttledBefore = emulator.stats.graphqlThrottled;
    await worker.request(session, BIG);
    // The next page waits for the bucket to refill; while it waits, the other thread spends part of the refill.
    const nextPage = worker.request(session, BIG);
    for (let i = 0; i < 4; i++) await api.request(session, SMALL);
    await nextPage;
    expect(emulator.stats.graphqlThrottled - throttledBefore).toBe(0);
  });

  it("a reading reaches the other clients of the same app, never those of another app (another API key)", async () => {
    // A full bucket again: a client with no reading yet sends its first call unpaced.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const ours = client('pacing-key');
    const sibling = client('pacing-key');
    const otherApp = client('another-key');
    await ours.request(session, SMALL);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sibling.maximumAvailable(SHOP)).toBe(100);
    expect(otherApp.maximumAvailable(SHOP)).toBeNull();
  });
});
