import { APICBASE_PRESET, MappingError, orderFromPayload, valueAt } from './order-mapping.js';

const received = new Date('2026-11-29T12:00:00Z');
const apicbase = {
  id: 'b7c1',
  order_number: 'PO-7',
  ordered_on: '2026-11-29T11:59:00Z',
  packages: [
    { supplier_package: { supplier_article_number: 'ART-1' }, quantity_ordered: 3 },
    { supplier_package: { supplier_article_number: ' ART-2 ' }, quantity_ordered: 1 },
  ],
};

describe('signed-webhook order mapping', () => {
  it("reads Apicbase's purchase order with the preset", () => {
    expect(orderFromPayload(apicbase, APICBASE_PRESET.mapping, received)).toEqual({
      externalId: 'b7c1',
      name: 'PO-7',
      updatedAt: new Date('2026-11-29T11:59:00Z'),
      cancelledAt: null,
      customerEmail: null,
      totals: null,
      lines: [
        { externalLineId: '0', sku: 'ART-1', variantId: null, quantity: 3, currentQuantity: 3 },
        { externalLineId: '1', sku: 'ART-2', variantId: null, quantity: 1, currentQuantity: 1 },
      ],
      refunds: [],
    });
  });

  it('takes a status listed as cancelled as a cancellation, and the arrival time when no time is mapped', () => {
    const mapping = { ...APICBASE_PRESET.mapping, updatedAt: undefined, status: 'state', cancelledStatuses: ['VOID'] };
    const order = orderFromPayload({ ...apicbase, state: 'VOID' }, mapping, received);
    expect(order).toMatchObject({ updatedAt: received, cancelledAt: received });
  });

  it.each([
    [null, /not a JSON object/],
    [{ ...apicbase, id: '' }, /^id \(the order id\)/],
    [{ ...apicbase, packages: {} }, /^packages \(the order lines\)/],
    [{ ...apicbase, packages: [{ quantity_ordered: 1 }] }, /^packages\.0\.supplier_package\.supplier_article_number \(the SKU\) is missing/],
    [{ ...apicbase, packages: [{ supplier_package: { supplier_article_number: 'A' }, quantity_ordered: 1.5 }] }, /^packages\.0\.quantity_ordered/],
    [{ ...apicbase, packages: [{ supplier_package: { supplier_article_number: 'A' }, quantity_ordered: -1 }] }, /^packages\.0\.quantity_ordered/],
    [{ ...apicbase, ordered_on: 'yesterday' }, /^ordered_on \(the updated time\) is not a date/],
  ])('refuses %p naming the path', (payload, message) => {
    expect(() => orderFromPayload(payload, APICBASE_PRESET.mapping, received)).toThrow(MappingError);
    expect(() => orderFromPayload(payload, APICBASE_PRESET.mapping, received)).toThrow(message);
  });

  it('follows dot-paths through objects only', () => {
    expect(valueAt({ a: { b: [1] } }, 'a.b')).toEqual([1]);
    expect(valueAt({ a: [{ b: 1 }] }, 'a.0.b')).toBeUndefined();
    expect(valueAt({ a: null }, 'a.b')).toBeUndefined();
  });
});
