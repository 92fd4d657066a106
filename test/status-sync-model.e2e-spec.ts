import fc from 'fast-check';
import { eventually } from './support/eventually.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';

/**
 * Model-based: random fates of random orders, some sent from the POS (fulfil, mark paid, cancel with or without
 * restock), some made by the merchant in Shopify at the same time (a cancellation, a refund), while Shopify's
 * webhooks are duplicated, reordered and partly dropped. Whatever happens, POS stock must end equal to what the
 * emulator says the orders hold, every order's cancellation must match the shop's, and no request may have been
 * applied twice in the shop. FC_SEED=<seed> replays a failure.
 */
type Step =
  | { kind: 'posCancel'; restock: boolean }
  | { kind: 'shopCancel'; restock: boolean }
  | { kind: 'shopRefund'; restock: boolean }
  | { kind: 'posFulfil' }
  | { kind: 'posMarkPaid' };

const SKUS = ['A', 'B'];
const START = 500;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('posCancel' as const), restock: fc.boolean() }),
  fc.record({ kind: fc.constant('shopCancel' as const), restock: fc.boolean() }),
  fc.record({ kind: fc.constant('shopRefund' as const), restock: fc.boolean() }),
  fc.record({ kind: fc.constant('posFulfil' as const) }),
  fc.record({ kind: fc.constant('posMarkPaid' as const) }),
);
const run = fc.record({
  orders: fc.array(
    fc.record({
      lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2 }),
      paid: fc.boolean(),
      steps: fc.array(step, { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 2, maxLength: 4 },
  ),
  duplicates: fc.integer({ min: 0, max: 2 }),
  reorderWindowMs: fc.constantFrom(0, 150),
  // 1: every webhook lost, so the readback after each request and the poll must do it alone.
  dropRate: fc.constantFrom(0, 0.3, 1),
});

describe('status back to the shop, model-based', () => {
  let ctx: ShopifyTestContext;
  let businessId: string;
  let shop: string;
  const products: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    shop = 'status-model.myshopify.com';
    ctx.emulator.createShop(shop);
    businessId = await createBusiness(ctx, 'Status model');
    for (const sku of SKUS) products[sku] = (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '1.00', stock: START })).body.id as string;
    expect((await connectShop(ctx, businessId, shop)).status).toBe(200);
  });
  afterAll(() => ctx?.close());

  const pollNow = async () => {
    const job = await ctx.http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId });
    expect(job.status).toBe(202);
    await eventually(async () => expect((await ctx.http.get(job.body.statusUrl).set(bearer())).body.state).toBe('completed'), 30_000, 100);
  };
  /** Waits until every request of the business is done or failed. */
  const requestsSettled = () =>
    eventually(async () => expect((await ctx.db.query("SELECT count(*)::int AS n FROM ecommerce_status_request WHERE business_id = $1 AND status IN ('pending', 'sending')", [businessId])).rows[0].n).toBe(0), 60_000, 100);

  it('ends with POS stock equal to what the shop says its orders hold, each cancellation as the shop has it, nothing applied twice', async () => {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
    await fc.assert(
      fc.asyncProperty(run, async ({ orders, duplicates, reorderWindowMs, dropRate }) => {
        ctx.emulator.setWebhookBehaviour({ duplicates, duplicatesKeepWebhookId: false, reorderWindowMs, dropRate });
        const placed = orders.map((o) => ({ spec: o, order: ctx.emulator.createOrder(shop, { lineItems: o.lines, financialStatus: o.paid ? 'paid' : 'pending' }) }));
        const ids = await eventually(async () => {
          const found = await ctx.db.query('SELECT id, external_order_id FROM ecommerce_ingested_order WHERE business_id = $1 AND external_order_id = ANY($2::text[])', [businessId, placed.map((p) => String(p.order.id))]);
          if (found.rowCount !== placed.length) await pollNow();
          expect(found.rowCount).toBe(placed.length);
          return new Map(found.rows.map((r) => [r.external_order_id as string, r.id as string]));
        }, 60_000, 200);
        const asked: Record<string, number> = { fulfillment: 0, cancel: 0 };
        for (let i = 0; i < 3; i++) {
          // One step of every order at once: POS requests race the merchant's own changes in the shop.
          await Promise.all(
            placed.map(async ({ spec, order }) => {
              const s = spec.steps[i];
              if (!s) return;
              const id = ids.get(String(order.id))!;
              const shopOrder = ctx.emulator.shop(shop).orders.get(order.id)!;
              switch (s.kind) {
                case 'shopCancel':
                  if (!shopOrder.cancelledAt && shopOrder.fulfillments.length === 0) ctx.emulator.updateOrder(shop, order.id, { cancel: true, restock: s.restock });
                  return;
                case 'shopRefund': {
                  const line = shopOrder.lineItems.find((l) => l.currentQuantity > 0);
                  if (line && !shopOrder.cancelledAt) ctx.emulator.refundOrder(shop, order.id, { lines: [{ lineItemId: line.id, quantity: 1, restockType: s.restock ? 'return' : 'no_restock' }] });
                  return;
                }
                default: {
                  const path = s.kind === 'posCancel' ? 'cancel' : s.kind === 'posFulfil' ? 'fulfillment' : 'mark-paid';
                  const body = s.kind === 'posCancel' ? { reason: 'other', restock: s.restock } : {};
                  const res = await ctx.http.post(`/ecommerce/orders/${id}/${path}`).set(bearer()).send(body);
                  // 409 is a valid answer (already cancelled, fulfilled, paid); anything else is not.
                  expect([202, 409]).toContain(res.status);
                  if (res.status === 202 && !res.body.duplicate && path !== 'mark-paid') asked[path === 'cancel' ? 'cancel' : 'fulfillment']++;
                }
              }
            }),
          );
          await requestsSettled();
        }
        ctx.emulator.setWebhookBehaviour({ dropRate: 0 });
        await ctx.emulator.webhooks.idle();
        await pollNow();
        const held = ctx.emulator.heldBySku(shop);
        await eventually(async () => {
          const { rows } = await ctx.db.query('SELECT sku, stock FROM product WHERE business_id = $1 ORDER BY sku', [businessId]);
          expect(Object.fromEntries(rows.map((r) => [r.sku, START - (r.stock as number)]))).toEqual(Object.fromEntries(SKUS.map((sku) => [sku, held[sku] ?? 0])));
        }, 30_000, 200);
        for (const { order } of placed) {
          const shopOrder = ctx.emulator.shop(shop).orders.get(order.id)!;
          const stored = await ctx.db.query('SELECT status FROM ecommerce_ingested_order WHERE id = $1', [ids.get(String(order.id))]);
          expect(stored.rows[0].status).toBe(shopOrder.cancelledAt ? 'cancelled' : 'ingested');
        }
        // Every line is at the primary location: one fulfillment per accepted fulfilment request at most, one job per cancellation.
        const totalFulfillments = placed.reduce((n, p) => n + ctx.emulator.shop(shop).orders.get(p.order.id)!.fulfillments.length, 0);
        expect(totalFulfillments).toBeLessThanOrEqual(asked.fulfillment);
        const cancelJobs = [...ctx.emulator.shop(shop).cancelJobs.values()].filter((j) => placed.some((p) => p.order.id === j.orderId));
        expect(cancelJobs.length).toBeLessThanOrEqual(asked.cancel);
        ctx.emulator.setWebhookBehaviour({ duplicates: 0, reorderWindowMs: 0 });
      }),
      { numRuns: 6, seed, endOnFailure: true },
    );
  }, 300_000);
});
