import { orderPayload } from './emulator.js';
import { shopifyJson, type Order } from './state.js';

describe("emulator webhook bodies follow Shopify's published examples", () => {
  const order: Order = {
    id: 820982911946154521n,
    name: '#1042',
    orderNumber: 1042,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:05:00.000Z',
    cancelledAt: null,
    email: 'ada@example.com',
    financialStatus: 'paid',
    lineItems: [{ id: 487817672276298577n, sku: 'SKU-9', title: 'Beans', quantity: 5, currentQuantity: 5, price: '2.50', variantId: null, productId: null, fulfilledQuantity: 0, locationId: 1 }],
    refunds: [],
    cancelReason: null,
    fulfillments: [],
    heldLocations: [],
  };

  it("carries every field of Shopify's orders/create example, with this order's identity, lines and totals", () => {
    const payload = orderPayload(order, '2026-10') as Record<string, unknown>;
    expect(Object.keys(payload).length).toBeGreaterThan(60);
    expect(payload).toMatchObject({ id: 820982911946154521n, admin_graphql_api_id: 'gid://shopify/Order/820982911946154521', name: '#1042', order_number: 1042, cancel_reason: null, refunds: [], total_price: '12.50' });
    expect(payload).toHaveProperty('current_total_price');
    expect(payload).toHaveProperty('customer');
    const [line] = payload.line_items as Array<Record<string, unknown>>;
    expect(line).toMatchObject({ id: 487817672276298577n, admin_graphql_api_id: 'gid://shopify/LineItem/487817672276298577', sku: 'SKU-9', quantity: 5, current_quantity: 5, variant_id: null });
    expect(line).toHaveProperty('fulfillable_quantity');
    expect(line).toHaveProperty('price_set');
  });

  it('writes ids above 2^53 with every digit, as Shopify does', () => {
    const body = shopifyJson(orderPayload(order, '2026-10'));
    expect(body).toContain('"id":820982911946154521,"admin_graphql_api_id":"gid://shopify/Order/820982911946154521"');
    expect(body).toContain('"id":487817672276298577,');
    // Ids the emulator does not set keep the published example's exact digits (the package itself rounds them).
    expect(body).toMatch(/"customer":\{"id":\d{16,},/);
    const customer = (orderPayload(order, '2026-10') as unknown as { customer: { id: unknown; admin_graphql_api_id: string } }).customer;
    expect(customer.admin_graphql_api_id).toBe(`gid://shopify/Customer/${String(customer.id)}`);
  });

  it('falls back to the newest published version before the one asked for', () => {
    expect(Object.keys(orderPayload(order, '2099-01')).length).toBeGreaterThan(60);
    expect(() => orderPayload(order, '2000-01')).toThrow(/no example/);
  });
});
