import type { OrderState } from '../orders/holdings.js';
import { fingerprint, missingForAll, missingScopes, planFulfillment, refusal, retryDelayMs, MAX_ATTEMPTS, type FulfillmentOrderView } from './status-rules.js';

const state = (change: Partial<OrderState> = {}): OrderState => ({
  name: '#1001',
  updatedAt: new Date('2026-12-01T10:00:00Z'),
  cancelledAt: null,
  customerEmail: null,
  totals: null,
  financialStatus: 'pending',
  fulfillmentStatus: 'unfulfilled',
  lines: [
    { externalLineId: '1', sku: 'A', variantId: null, quantity: 3, currentQuantity: 3, unfulfilledQuantity: 3, productId: 'pa', held: 3, moves: 1 },
    { externalLineId: '2', sku: 'B', variantId: null, quantity: 2, currentQuantity: 2, unfulfilledQuantity: 2, productId: 'pb', held: 2, moves: 1 },
  ],
  refunds: [],
  ...change,
});

describe('refusal', () => {
  it('lets each action apply to an open, unpaid, unfulfilled order', () => {
    expect(refusal('fulfillment', state(), [], {})).toBeNull();
    expect(refusal('mark_paid', state(), [], {})).toBeNull();
    expect(refusal('cancel', state(), [], { reason: 'customer', restock: true })).toBeNull();
  });

  it('refuses everything on a cancelled order, and while a cancellation is under way', () => {
    const cancelled = state({ cancelledAt: new Date() });
    for (const action of ['fulfillment', 'mark_paid', 'cancel'] as const) expect(refusal(action, cancelled, [], {})).toBe('the order is already cancelled');
    expect(refusal('fulfillment', state(), [{ id: 'r1', action: 'cancel' }], {})).toBe('a cancellation of this order is already under way (request r1)');
  });

  it('refuses to cancel a fulfilled or partially fulfilled order, or one with a fulfilment under way', () => {
    expect(refusal('cancel', state({ fulfillmentStatus: 'fulfilled' }), [], {})).toMatch(/^fulfilled orders cannot be cancelled: the order is fulfilled/);
    const partly = state({ fulfillmentStatus: null, lines: state().lines.map((l, i) => (i === 0 ? { ...l, unfulfilledQuantity: 1 } : l)) });
    expect(refusal('cancel', partly, [], {})).toMatch(/partially fulfilled/);
    expect(refusal('cancel', state(), [{ id: 'f1', action: 'fulfillment' }], {})).toMatch(/fulfilment of this order is under way \(request f1\)/);
  });

  it('refuses to mark paid an order with nothing outstanding, or twice at once; an unknown payment state may be tried', () => {
    for (const status of ['paid', 'partially_refunded', 'refunded']) expect(refusal('mark_paid', state({ financialStatus: status }), [], {})).toMatch(/^nothing outstanding to pay/);
    expect(refusal('mark_paid', state({ financialStatus: null }), [], {})).toBeNull();
    expect(refusal('mark_paid', state({ financialStatus: 'authorized' }), [], {})).toBeNull();
    expect(refusal('mark_paid', state(), [{ id: 'm', action: 'mark_paid' }], {})).toMatch(/already under way/);
  });

  it('refuses a fulfilment of a fully fulfilled order, or of more units than a line has left', () => {
    const done = state({ lines: state().lines.map((l) => ({ ...l, unfulfilledQuantity: 0 })), fulfillmentStatus: null });
    expect(refusal('fulfillment', done, [], {})).toBe('the order is already fully fulfilled');
    const released = state({ lines: state().lines.map((l) => ({ ...l, currentQuantity: 0 })) });
    expect(refusal('fulfillment', released, [], {})).toMatch(/^the order holds nothing to fulfil/);
    expect(refusal('fulfillment', state(), [], { lines: [{ externalLineId: '2', sku: 'B', quantity: 3 }] })).toBe('only 2 of B are left to fulfil, 3 asked');
    // Refunded units are not there to ship: the current quantity bounds what is left.
    const refunded = state({ lines: state().lines.map((l, i) => (i === 1 ? { ...l, currentQuantity: 1, unfulfilledQuantity: 2 } : l)) });
    expect(refusal('fulfillment', refunded, [], { lines: [{ externalLineId: '2', sku: 'B', quantity: 2 }] })).toBe('only 1 of B are left to fulfil, 2 asked');
  });
});

describe('fingerprint', () => {
  it('is the same for the same action and body whatever the key order, and differs otherwise', () => {
    expect(fingerprint('cancel', { reason: 'customer', restock: true })).toBe(fingerprint('cancel', { restock: true, reason: 'customer' }));
    expect(fingerprint('cancel', { reason: 'customer', restock: true })).not.toBe(fingerprint('cancel', { reason: 'customer', restock: false }));
    expect(fingerprint('mark_paid', {})).not.toBe(fingerprint('fulfillment', {}));
  });
});

describe('scopes', () => {
  it('names the scopes a connection lacks per action; any fulfillment-order write scope will do', () => {
    const old = ['read_orders', 'read_products', 'write_inventory'];
    expect(missingScopes('cancel', old)).toEqual(['write_orders']);
    expect(missingScopes('fulfillment', old)).toEqual(['write_merchant_managed_fulfillment_orders']);
    expect(missingScopes('fulfillment', ['write_third_party_fulfillment_orders'])).toEqual([]);
    expect(missingForAll(old)).toEqual(['write_merchant_managed_fulfillment_orders', 'write_orders']);
    expect(missingForAll(['write_orders', 'write_merchant_managed_fulfillment_orders'])).toEqual([]);
  });
});

describe('retries', () => {
  it('waits longer after each failure and gives up after the last delay', () => {
    const delays = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelayMs(i + 1));
    expect(delays.slice(0, -1).every((d, i, all) => d !== null && (i === 0 || d > all[i - 1]!))).toBe(true);
    expect(delays.at(-1)).toBeNull();
  });
});

describe('planFulfillment', () => {
  const fo = (id: string, status: string, location: string, lines: Array<[string, number]>): FulfillmentOrderView => ({
    id: `gid://shopify/FulfillmentOrder/${id}`,
    status,
    locationId: `gid://shopify/Location/${location}`,
    lines: lines.map(([line, remaining]) => ({ id: `gid://shopify/FulfillmentOrderLineItem/${line}`, lineItemId: line, remainingQuantity: remaining })),
  });

  it('fulfils everything left, one plan per location, skipping closed fulfillment orders', () => {
    const plans = planFulfillment([fo('1', 'OPEN', '1', [['10', 2]]), fo('2', 'IN_PROGRESS', '2', [['11', 1], ['12', 0]]), fo('3', 'CLOSED', '1', [['13', 0]])], null);
    expect(plans).toEqual([
      { locationId: 'gid://shopify/Location/1', parts: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1', lines: [{ id: 'gid://shopify/FulfillmentOrderLineItem/10', quantity: 2 }] }] },
      { locationId: 'gid://shopify/Location/2', parts: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/2', lines: [{ id: 'gid://shopify/FulfillmentOrderLineItem/11', quantity: 1 }] }] },
    ]);
  });

  it('takes the lines asked for within their remaining quantities, across fulfillment orders', () => {
    const plans = planFulfillment([fo('1', 'OPEN', '1', [['10', 1]]), fo('2', 'OPEN', '1', [['10', 2]])], [{ externalLineId: '10', sku: 'A', quantity: 2 }]);
    expect(plans).toHaveLength(1);
    expect(plans[0].parts.map((p) => p.lines[0].quantity)).toEqual([1, 1]);
  });

  it('refuses in plain words when a line is short or only held fulfillment orders are left', () => {
    expect(() => planFulfillment([fo('1', 'OPEN', '1', [['10', 1]])], [{ externalLineId: '10', sku: 'A', quantity: 2 }])).toThrow('the shop has fewer units left to fulfil than asked: A short by 1');
    expect(() => planFulfillment([fo('1', 'ON_HOLD', '1', [['10', 1]])], null)).toThrow('nothing can be fulfilled now: the fulfillment orders left are ON_HOLD');
    expect(() => planFulfillment([fo('1', 'CLOSED', '1', [['10', 0]])], null)).toThrow('nothing is left to fulfil in the shop');
  });
});
