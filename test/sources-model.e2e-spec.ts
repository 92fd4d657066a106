import fc from 'fast-check';
import { purchaseOrder, sendToSource } from './support/apicbase-sender.js';
import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { WooCommerceEmulator, type WooOrder, type WooStatus } from './woocommerce-emulator/emulator.js';

/**
 * Model-based, across all three kinds of source at once: random Shopify orders (some cancelled), random WooCommerce
 * lifecycles (quantity changes, refunds, status changes, trash and restore) whose webhooks are partly dropped, and
 * signed-webhook orders sent once or several times. After the polls, POS stock must equal what the three say
 * their orders hold, and each order must be stored once. FC_SEED=<seed> replays a failure.
 */
type WooAction =
  | { kind: 'quantity'; line: number; quantity: number }
  | { kind: 'refund'; line: number; quantity: number }
  | { kind: 'status'; status: WooStatus }
  | { kind: 'trash' }
  | { kind: 'restore' };

const SKUS = ['M-A', 'M-B', 'M-C'];
const lines = fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 });
const wooAction: fc.Arbitrary<WooAction> = fc.oneof(
  fc.record({ kind: fc.constant('quantity' as const), line: fc.nat(3), quantity: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('refund' as const), line: fc.nat(3), quantity: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom<WooStatus>('processing', 'on-hold', 'completed', 'cancelled', 'failed') }),
  fc.record({ kind: fc.constant('trash' as const) }),
  fc.record({ kind: fc.constant('restore' as const) }),
);
const run = fc.record({
  shopify: fc.array(fc.record({ lines, cancel: fc.boolean() }), { maxLength: 4 }),
  woo: fc.array(fc.record({ lines, actions: fc.array(wooAction, { maxLength: 4 }) }), { minLength: 3, maxLength: 8 }),
  signed: fc.array(fc.record({ lines, copies: fc.integer({ min: 1, max: 3 }) }), { maxLength: 4 }),
  dropRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

describe('three sources at once, model-based', () => {
  let ctx: ShopifyTestContext;
  let woo: WooCommerceEmulator;
  let businessId: string;
  let wooSource: string;
  let signed: { id: string; webhookUrl: string; secret: string };
  const STORE = 'model-store';
  const SHOP = 'sources-model.myshopify.com';
  const START = 100_000;
  let signedHeld: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    woo = await WooCommerceEmulator.start({ deliveryDelayMs: 30 });
    businessId = await createBusiness(ctx, 'Everywhere');
    for (const sku of SKUS) await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '1.00', stock: START });
    ctx.emulator.createShop(SHOP);
    await connectShop(ctx, businessId, SHOP);
    const store = woo.createStore(STORE);
    wooSource = (await ctx.http.post('/ecommerce/sources/woocommerce').set(bearer()).send({ businessId, storeUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret })).body.id as string;
    signed = (await ctx.http.post('/ecommerce/sources/signed-webhook').set(bearer()).send({ businessId, name: 'Apicbase', preset: 'apicbase' })).body as typeof signed;
  });
  afterAll(async () => {
    await woo?.stop();
    await ctx?.close();
  });

  const pollAll = async () => {
    for (const path of ['/ecommerce/sync/poll', `/ecommerce/sources/${wooSource}/poll`]) {
      const job = await ctx.http.post(path).set(bearer()).send({ businessId });
      expect(job.status).toBe(202);
      await eventually(async () => expect((await ctx.http.get(job.body.statusUrl).set(bearer())).body.state).toBe('completed'), 30_000, 100);
    }
  };

  it('ends with POS stock equal to what every source says its orders hold', async () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(run, async ({ shopify, woo: wooRuns, signed: signedRuns, dropRate }) => {
        const dropped = Math.round(dropRate * 40);
        if (dropped > 0) woo.injectFault({ store: STORE, target: 'webhook', kind: 'drop', count: dropped });
        for (const order of shopify) {
          const placed = ctx.emulator.createOrder(SHOP, { lineItems: order.lines });
          if (order.cancel) ctx.emulator.updateOrder(SHOP, placed.id, { cancel: true, restock: true });
        }
        const orders = wooRuns.map((r) => woo.createOrder(STORE, { lines: r.lines }));
        for (let step = 0; step < 4; step++) {
          wooRuns.forEach((r, i) => r.actions[step] && apply(orders[i], r.actions[step]));
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        for (const order of signedRuns) {
          const body = purchaseOrder(`M-${++n}`, order.lines.map((l) => ({ article: l.sku, quantity: l.quantity })));
          const answers = await Promise.all(Array.from({ length: order.copies }, () => sendToSource(signed.webhookUrl, signed.secret, body)));
          expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
          for (const line of order.lines) signedHeld[line.sku] = (signedHeld[line.sku] ?? 0) + line.quantity;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        woo.faults.length = 0;
        await pollAll();
        const shopifyHeld = ctx.emulator.heldBySku(SHOP);
        const wooHeld = woo.heldBySku(STORE);
        await eventually(async () => {
          const { rows } = await ctx.db.query('SELECT sku, stock FROM product WHERE business_id = $1 ORDER BY sku', [businessId]);
          expect(Object.fromEntries(rows.map((r) => [r.sku, START - (r.stock as number)]))).toEqual(
            Object.fromEntries(SKUS.map((sku) => [sku, (shopifyHeld[sku] ?? 0) + (wooHeld[sku] ?? 0) + (signedHeld[sku] ?? 0)])),
          );
        }, 30_000, 200);
        const stored = await ctx.db.query('SELECT provider, count(*)::int AS n FROM ecommerce_ingested_order WHERE business_id = $1 GROUP BY provider', [businessId]);
        const counts = Object.fromEntries(stored.rows.map((r) => [r.provider, r.n]));
        expect(counts.woocommerce ?? 0).toBe(woo.store(STORE).orders.size);
        expect(counts.shopify ?? 0).toBe(ctx.emulator.shop(SHOP).orders.size);
        expect(counts.signed_webhook ?? 0).toBe(n);
      }),
      { numRuns: 10, seed, endOnFailure: true },
    );
    signedHeld = {};
  }, 240_000);

  function apply(order: WooOrder, action: WooAction): void {
    const trashed = order.status === 'trash';
    switch (action.kind) {
      case 'quantity': {
        if (trashed) return;
        const line = order.lines[action.line % order.lines.length];
        const refunded = order.refunds.flatMap((r) => r.lines).filter((l) => l.lineId === line.id).reduce((sum, l) => sum + l.quantity, 0);
        // WooCommerce does not let an edit go below what was refunded.
        if (action.quantity >= refunded) woo.setQuantity(STORE, order.id, line.sku, action.quantity);
        return;
      }
      case 'refund': {
        if (trashed || order.status === 'refunded') return;
        const line = order.lines[action.line % order.lines.length];
        const refunded = order.refunds.flatMap((r) => r.lines).filter((l) => l.lineId === line.id).reduce((sum, l) => sum + l.quantity, 0);
        const quantity = Math.min(action.quantity, line.quantity - refunded);
        if (quantity > 0) woo.refund(STORE, order.id, [{ sku: line.sku, quantity }]);
        return;
      }
      case 'status':
        if (!trashed) woo.setStatus(STORE, order.id, action.status);
        return;
      case 'trash':
        if (!trashed) woo.trash(STORE, order.id);
        return;
      case 'restore':
        if (trashed) woo.restore(STORE, order.id);
    }
  }
});
