import { MalformedOrderError, numericId, orderFromGraphql, orderFromWebhook } from './order-mapper.js';

describe('order mapper', () => {
  it('maps a webhook payload, taking the exact id from the gid when the number is too large for JSON', () => {
    const order = orderFromWebhook({
      // As JSON.parse would give it: 820982911946154508 does not fit a double exactly.
      id: Number('820982911946154508'),
      admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
      name: '#1001',
      updated_at: '2026-11-22T10:00:00-05:00',
      cancelled_at: null,
      line_items: [{ id: 466157049, admin_graphql_api_id: 'gid://shopify/LineItem/466157049', sku: ' IPOD-1 ', variant_id: 39072856, quantity: 2 }, { id: 2, sku: '', variant_id: null, quantity: 1 }],
    });
    expect(order).toEqual({
      externalId: '820982911946154508',
      name: '#1001',
      updatedAt: new Date('2026-11-22T15:00:00Z'),
      cancelledAt: null,
      lines: [
        { externalLineId: '466157049', sku: 'IPOD-1', variantId: '39072856', quantity: 2 },
        { externalLineId: '2', sku: null, variantId: null, quantity: 1 },
      ],
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

  it('maps a GraphQL node and reads gids', () => {
    expect(numericId('gid://shopify/ProductVariant/42')).toBe('42');
    expect(numericId('gid://shopify/ProductVariant/x')).toBeNull();
    const order = orderFromGraphql(
      { id: 'gid://shopify/Order/7', name: '#1007', updatedAt: '2026-01-01T00:00:00Z', cancelledAt: '2026-01-02T00:00:00Z', lineItems: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      [{ id: 'gid://shopify/LineItem/9', sku: 'A', quantity: 3, variant: { id: 'gid://shopify/ProductVariant/5' } }],
    );
    expect(order).toMatchObject({ externalId: '7', cancelledAt: new Date('2026-01-02T00:00:00Z'), lines: [{ externalLineId: '9', sku: 'A', variantId: '5', quantity: 3 }] });
  });
});
