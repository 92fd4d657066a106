import { MalformedOrderError, numericId, orderChangeFromWebhook, orderFromGraphql, orderFromWebhook, parseWebhookJson } from './order-mapper.js';

describe('order mapper', () => {
  it('maps a webhook payload, taking the exact id from the gid when the number is too large for JSON', () => {
    const order = orderFromWebhook({
      // As JSON.parse would give it: 820982911946154508 does not fit a double exactly.
      id: Number('820982911946154508'),
      admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
      name: '#1001',
      updated_at: '2026-11-22T10:00:00-05:00',
      cancelled_at: null,
      email: null,
      contact_email: ' Jon@Example.COM ',
      line_items: [{ id: 466157049, admin_graphql_api_id: 'gid://shopify/LineItem/466157049', sku: ' IPOD-1 ', variant_id: 39072856, quantity: 2, current_quantity: 1 }, { id: 2, sku: '', variant_id: null, quantity: 1 }],
    });
    expect(order).toEqual({
      externalId: '820982911946154508',
      name: '#1001',
      updatedAt: new Date('2026-11-22T15:00:00Z'),
      cancelledAt: null,
      customerEmail: 'jon@example.com',
      totals: null,
      // The payload tells neither payment nor fulfilment: unknown, not "unfulfilled".
      financialStatus: null,
      fulfillmentStatus: undefined,
      lines: [
        { externalLineId: '466157049', sku: 'IPOD-1', variantId: '39072856', quantity: 2, currentQuantity: 1, unfulfilledQuantity: null },
        { externalLineId: '2', sku: null, variantId: null, quantity: 1, currentQuantity: 1, unfulfilledQuantity: null },
      ],
      refunds: [],
    });
  });

  it.each([
    [{ name: '#1', line_items: [] }, /id is missing/],
    [{ id: 1, name: '#1' }, /line_items/],
    [{ id: 1, updated_at: 'soon', line_items: [] }, /updated_at/],
    [{ id: 1, updated_at: '2026-01-01T00:00:00Z', line_items: [{ id: 1, quantity: -1 }] }, /quantity/],
    [{ id: 1, updated_at: '2026-01-01T00:00:00Z', line_items: [{ id: 1, quantity: '2' }] }, /quantity/],
  ])('refuses %p', (payload, message) => {
    expect(() => orderFromWebhook(payload)).toThrow(MalformedOrderError);
    expect(() => orderFromWebhook(payload)).toThrow(message);
  });

  it('reads payment and fulfilment as the webhook and GraphQL tell them', () => {
    const base = { id: 1, updated_at: '2026-01-01T00:00:00Z' };
    const line = { id: 5, quantity: 3, current_quantity: 3, fulfillable_quantity: 1 };
    expect(orderFromWebhook({ ...base, financial_status: 'partially_refunded', fulfillment_status: 'partial', line_items: [line] })).toMatchObject({ financialStatus: 'partially_refunded', fulfillmentStatus: 'partial', lines: [{ unfulfilledQuantity: 1 }] });
    expect(orderFromWebhook({ ...base, financial_status: 'pending', fulfillment_status: null, line_items: [] })).toMatchObject({ financialStatus: 'pending', fulfillmentStatus: 'unfulfilled' });
    const node = { id: 'gid://shopify/Order/7', name: '#7', updatedAt: '2026-01-01T00:00:00Z', cancelledAt: null, email: null, currentTotalPriceSet: null };
    expect(orderFromGraphql({ ...node, displayFinancialStatus: 'PAID', displayFulfillmentStatus: 'FULFILLED' }, [], [])).toMatchObject({ financialStatus: 'paid', fulfillmentStatus: 'fulfilled' });
    expect(orderFromGraphql({ ...node, displayFinancialStatus: 'PENDING', displayFulfillmentStatus: 'ON_HOLD' }, [], [])).toMatchObject({ financialStatus: 'pending', fulfillmentStatus: 'unfulfilled' });
  });

  it('maps a GraphQL node and reads gids', () => {
    expect(numericId('gid://shopify/ProductVariant/42')).toBe('42');
    expect(numericId('gid://shopify/ProductVariant/x')).toBeNull();
    const order = orderFromGraphql(
      { id: 'gid://shopify/Order/7', name: '#1007', updatedAt: '2026-01-01T00:00:00Z', cancelledAt: '2026-01-02T00:00:00Z', email: 'not an address', currentTotalPriceSet: { shopMoney: { amount: '12.50', currencyCode: 'EUR' } } },
      [{ id: 'gid://shopify/LineItem/9', sku: 'A', quantity: 3, currentQuantity: 2, variant: { id: 'gid://shopify/ProductVariant/5' } }],
      [],
    );
    expect(order).toMatchObject({ externalId: '7', customerEmail: null, totals: { total: '12.50', currency: 'EUR' }, cancelledAt: new Date('2026-01-02T00:00:00Z'), lines: [{ externalLineId: '9', sku: 'A', variantId: '5', quantity: 3, currentQuantity: 2 }] });
  });

  it("maps refunds and their restock types, taking line ids from the line item's gid", () => {
    const body = `{"id": 890088186047892319, "order_id": 820982911946154508, "admin_graphql_api_id": "gid://shopify/Refund/890088186047892319",
      "refund_line_items": [
        {"id": 1, "quantity": 1, "line_item_id": 487817672276298554, "restock_type": "no_restock", "line_item": {"id": 487817672276298554, "admin_graphql_api_id": "gid://shopify/LineItem/487817672276298554"}},
        {"id": 2, "quantity": 2, "line_item_id": 487817672276298555, "restock_type": "return", "line_item": {}},
        {"id": 3, "quantity": 1, "line_item_id": 487817672276298556, "restock_type": "cancel"}
      ]}`;
    expect(orderChangeFromWebhook('refunds/create', parseWebhookJson(body))).toEqual({
      kind: 'refund',
      orderExternalId: '820982911946154508',
      orderName: null,
      refund: {
        externalId: '890088186047892319',
        lines: [
          { externalLineId: '487817672276298554', quantity: 1, restock: false },
          { externalLineId: '487817672276298555', quantity: 2, restock: true },
          { externalLineId: '487817672276298556', quantity: 1, restock: true },
        ],
      },
    });
    expect(orderChangeFromWebhook('orders/edited', { order_edit: { id: 1 } })).toBeNull();
  });

  it('reads integers above 2^53 with every digit, and leaves strings and small numbers alone', () => {
    const parsed = parseWebhookJson('{"order_id": 820982911946154508, "note": "x: 1234567890123456789, y", "n": 12}');
    expect(parsed).toEqual({ order_id: '820982911946154508', note: 'x: 1234567890123456789, y', n: 12 });
    expect(() => parseWebhookJson('[1]')).toThrow(MalformedOrderError);
  });

  it('reads a valid body with a string of several megabytes (a long note) and still keeps its long ids exact', () => {
    const note = `${'x'.repeat(9 * 1024 * 1024)}\\"quoted\\" and 1234567890123456789`;
    const parsed = parseWebhookJson(`{"id": 820982911946154508, "note": "${note}", "order_id": 820982911946154509}`);
    expect(parsed.id).toBe('820982911946154508');
    expect(parsed.order_id).toBe('820982911946154509');
    expect((parsed.note as string).length).toBe(9 * 1024 * 1024 + 32);
  });
});
