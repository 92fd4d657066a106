import fc from 'fast-check';
import type { Order } from './shopify-emulator/state.js';
import { eventually } from './support/eventually.js';
import { ProcessBed } from './support/process-bed.js';

/**
 * Model-based: random lifecycles of many orders (placed, edited, refunded with and without restock, cancelled
 * with and without restock) made in the emulator, whose webhooks are duplicated, reordered and partly dropped,
 * processed by two app processes, with polls as the safety net. After draining, POS stock must equal what the
 * emulator's own record says the orders hold. A failure prints fast-check's seed; FC_SEED=<seed> replays it.
 */
type Action =
  | { kind: 'edit'; line: number; quantity: number }
  | { kind: 'add'; sku: string; quantity: number }
  | { kind: 'refund'; line: number; quantity: number; restock: 'no_restock' | 'return' | 'cancel' }
  | { kind: 'cancel'; restock: boolean };

interface History {
  lines: Array<{ sku: string; quantity: number }>;
  actions: Action[];
}

const SKUS = ['A', 'B', 'Z'];
const history: fc.Arbitrary<History> = fc.record({
  lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 3 }),
  actions: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), line: fc.nat(5), quantity: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('add' as const), sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('refund' as const), line: fc.nat(5), quantity: fc.integer({ min: 1, max: 3 }), restock: fc.constantFrom('no_restock' as const, 'return' as const, 'cancel' as const) }),
      fc.record({ kind: fc.constant('cancel' as const), restock: fc.boolean() }),
    ),
    { maxLength: 4 },
  ),
});

describe('order lifecycle, model-based', () => {
  let bed: ProcessBed;
  beforeAll(async () => {
    bed = await ProcessBed.start();
  });
  afterAll(() => bed.stop());

  it('ends with POS stock equal to what the emulator says the orders hold, whatever arrived how', async () => {
    const first = await bed.app();
    await bed.app();
    const shop = 'lifecycle-model.myshopify.com';
    const businessId = await bed.connected(first, shop);
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;

    await fc.assert(
      fc.asyncProperty(fc.array(history, { minLength: 40, maxLength: 40 }), fc.double({ min: 0, max: 0.3, noNaN: true }), async (histories, dropRate) => {
        bed.emulator.setWebhookBehaviour({ duplicates: 1, duplicatesKeepWebhookId: false, reorderWindowMs: 30, dropRate });
        const orders = histories.map((h) => bed.emulator.createOrder(shop, { lineItems: h.lines }));
        const longest = Math.max(0, ...histories.map((h) => h.actions.length));
        // Round by round, so that changes to different orders interleave as they would in a shop.
        for (let step = 0; step < longest; step++) {
          for (const [i, h] of histories.entries()) {
            const action = h.actions[step];
            if (action) apply(shop, orders[i], action);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await bed.emulator.webhooks.idle();
        bed.emulator.setWebhookBehaviour({ duplicates: 0, reorderWindowMs: 0, dropRate: 0 });
        // The poll is the safety net for what the webhooks lost.
        await bed.api(first, 'POST', '/ecommerce/sync/poll', { businessId });
        const held = bed.emulator.heldBySku(shop);
        await eventually(async () => {
          const { rows } = await bed.db.query('SELECT sku, stock FROM product WHERE business_id = $1 ORDER BY sku', [businessId]);
          expect(Object.fromEntries(rows.map((r) => [r.sku, 100_000 - (r.stock as number)]))).toEqual({ A: held.A ?? 0, B: held.B ?? 0 });
        }, 60_000, 250);
        // Every order once, whatever the duplicates.
        const ingested = await bed.db.query('SELECT count(*)::int AS n FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
        expect(ingested.rows[0].n).toBe(bed.emulator.shop(shop).orders.size);
      }),
      { numRuns: 3, seed, endOnFailure: true },
    );
  }, 180_000);

  function apply(shop: string, order: Order, action: Action): void {
    if (order.cancelledAt) return;
    switch (action.kind) {
      case 'edit': {
        const line = order.lineItems[action.line % order.lineItems.length];
        const kept = order.refunds.flatMap((r) => r.lines).filter((l) => l.lineItemId === line.id).reduce((n, l) => n + l.quantity, 0);
        // An edit cannot take a line below what was refunded from it.
        if (action.quantity >= 0 && action.quantity !== line.currentQuantity && kept === 0) bed.emulator.editOrder(shop, order.id, { set: [{ lineItemId: line.id, quantity: action.quantity }] });
        return;
      }
      case 'add':
        bed.emulator.editOrder(shop, order.id, { add: [{ sku: action.sku, quantity: action.quantity }] });
        return;
      case 'refund': {
        const line = order.lineItems[action.line % order.lineItems.length];
        const quantity = Math.min(action.quantity, line.currentQuantity);
        if (quantity > 0) bed.emulator.refundOrder(shop, order.id, { lines: [{ lineItemId: line.id, quantity, restockType: action.restock }] });
        return;
      }
      case 'cancel':
        bed.emulator.updateOrder(shop, order.id, { cancel: true, restock: action.restock });
    }
  }
});
