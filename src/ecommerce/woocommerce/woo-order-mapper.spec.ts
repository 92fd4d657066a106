import { MalformedOrderError } from '../orders/order.js';
import { orderFromWoo, refundedQuantities } from './woo-order-mapper.js';

const order = (status: string) => ({
  id: 727,
  number: '727',
  status,
  total: '30.00',
  currency: 'EUR',
  date_modified_gmt: '2026-11-29T10:15:30',
  billing: { email: 'Ada@Example.com' },
  line_items: [
    { id: 11, sku: 'A', quantity: 3, product_id: 5, variation_id: 0 },
    { id: 12, sku: '', quantity: 1, product_id: 6, variation_id: 0 },
  ],
  refunds: [],
});

describe('WooCommerce order mapping', () => {
  it('reads an order: GMT modified date, lines by id, the e-mail; held statuses hold what is not refunded', () => {
    const refunded = refundedQuantities([{ id: 1, line_items: [{ quantity: -2, meta_data: [{ key: '_refunded_item_id', value: '11' }] }] }]);
    expect(orderFromWoo(order('processing'), refunded)).toEqual({
      externalId: '727',
      name: '#727',
      updatedAt: new Date('2026-11-29T10:15:30Z'),
      cancelledAt: null,
      customerEmail: 'ada@example.com',
      totals: { total: '30.00', currency: 'EUR' },
      financialStatus: 'paid',
      fulfillmentStatus: 'unfulfilled',
      lines: [
        { externalLineId: '11', sku: 'A', variantId: null, quantity: 3, currentQuantity: 1 },
        { externalLineId: '12', sku: null, variantId: null, quantity: 1, currentQuantity: 1 },
      ],
      refunds: [],
    });
  });

  it.each(['pending', 'on-hold', 'processing', 'completed'])('%s holds the lines', (status) => {
    expect(orderFromWoo(order(status)).lines.map((l) => l.currentQuantity)).toEqual([3, 1]);
  });

  it.each(['cancelled', 'refunded', 'failed', 'trash', 'checkout-draft'])('%s holds nothing, and is not a final cancellation (it can come back)', (status) => {
    const mapped = orderFromWoo(order(status));
    expect(mapped.lines.map((l) => l.currentQuantity)).toEqual([0, 0]);
    expect(mapped.cancelledAt).toBeNull();
  });

  it.each([
    [{ ...order('processing'), id: 'x' }, /id is missing/],
    [{ ...order('processing'), date_modified_gmt: undefined }, /date_modified_gmt/],
    [{ ...order('processing'), line_items: undefined }, /line_items/],
    [{ ...order('processing'), line_items: [{ id: 1, sku: 'A', quantity: -1 }] }, /line_items\.0\.quantity/],
  ])('refuses %p', (payload, message) => {
    expect(() => orderFromWoo(payload as Record<string, unknown>)).toThrow(MalformedOrderError);
    expect(() => orderFromWoo(payload as Record<string, unknown>)).toThrow(message);
  });
});
