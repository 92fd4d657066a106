import { eventually } from './support/eventually.js';
import { createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { bearer } from './support/test-app.js';
import { WooCommerceEmulator } from './woocommerce-emulator/emulator.js';

/** The same status endpoints drive a WooCommerce order: its status (completed, paid, cancelled) and a tracking note. */
describe('status back to a WooCommerce store', () => {
  let ctx: ShopifyTestContext;
  let woo: WooCommerceEmulator;
  let businessId: string;
  const STORE = 'status-store';
  const products: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await startAppWithEmulator();
    woo = await WooCommerceEmulator.start({ deliveryDelayMs: 50 });
    businessId = await createBusiness(ctx, 'Woo status');
    for (const sku of ['S-A', 'S-B']) {
      products[sku] = (await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '10.00', stock: 50 })).body.id as string;
    }
    const store = woo.createStore(STORE);
    const res = await ctx.http.post('/ecommerce/sources/woocommerce').set(bearer()).send({ businessId, storeUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await woo?.stop();
    await ctx?.close();
  });

  const stock = async (sku: string) => (await ctx.http.get(`/businesses/${businessId}/products/${products[sku]}`).set(bearer())).body.stock as number;
  const place = async (lines: Array<{ sku: string; quantity: number }>, status: 'pending' | 'processing' = 'processing') => {
    const order = woo.createOrder(STORE, { lines, status });
    const id = await eventually(async () => {
      const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${order.id}`).set(bearer());
      expect(list.body.items).toHaveLength(1);
      return list.body.items[0].id as string;
    });
    return { order, id };
  };
  const settled = (id: string, requestId: string, status = 'done') =>
    eventually(async () => {
      const request = ((await ctx.http.get(`/ecommerce/orders/${id}`).set(bearer())).body.statusRequests as Array<{ id: string; status: string }>).find((r) => r.id === requestId);
      expect(request?.status).toBe(status);
      return request;
    });

  it('fulfilling completes the order and notes its tracking for the customer; lines are refused (whole orders only)', async () => {
    const { order, id } = await place([{ sku: 'S-A', quantity: 2 }]);
    const partial = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ lines: [{ sku: 'S-A', quantity: 1 }] });
    expect(partial.status).toBe(409);
    expect(partial.body.message).toMatch(/WooCommerce completes whole orders only/);
    const res = await ctx.http.post(`/ecommerce/orders/${id}/fulfillment`).set(bearer()).send({ trackingCompany: 'PostNL', trackingNumber: '3SABC123', notifyCustomer: true });
    expect(res.status).toBe(202);
    await settled(id, res.body.requestId);
    expect(order.status).toBe('completed');
    expect(order.notes).toEqual([expect.objectContaining({ note: 'Shipped with PostNL, tracking number 3SABC123', customerNote: true })]);
    await eventually(async () => expect((await ctx.http.get(`/ecommerce/orders/${id}`).set(bearer())).body.fulfillmentStatus).toBe('fulfilled'));
    expect(await stock('S-A')).toBe(48);
  });

  it('marks a pending order paid (set_paid), and refuses a paid one', async () => {
    const { order, id } = await place([{ sku: 'S-B', quantity: 1 }], 'pending');
    const res = await ctx.http.post(`/ecommerce/orders/${id}/mark-paid`).set(bearer()).send({});
    expect(res.status).toBe(202);
    await settled(id, res.body.requestId);
    expect(order.status).toBe('processing');
    expect(order.datePaid).not.toBeNull();
    await eventually(async () => expect((await ctx.http.get(`/ecommerce/orders/${id}`).set(bearer())).body.financialStatus).toBe('paid'));
    const paid = await place([{ sku: 'S-B', quantity: 1 }]);
    const refused = await ctx.http.post(`/ecommerce/orders/${paid.id}/mark-paid`).set(bearer()).send({});
    expect(refused.status).toBe(409);
  });

  it('cancels with restock: the store cancels it, POS stock comes back once; restock false is refused', async () => {
    const { order, id } = await place([{ sku: 'S-A', quantity: 3 }]);
    await eventually(async () => expect(await stock('S-A')).toBe(45));
    const keep = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'customer', restock: false });
    expect(keep.status).toBe(409);
    expect(keep.body.message).toMatch(/restock: false cannot be honoured/);
    const res = await ctx.http.post(`/ecommerce/orders/${id}/cancel`).set(bearer()).send({ reason: 'customer', restock: true, staffNote: 'Called us' });
    expect(res.status).toBe(202);
    await settled(id, res.body.requestId);
    expect(order.status).toBe('cancelled');
    expect(order.notes.map((n) => n.note)).toEqual(['Cancelled (customer): Called us']);
    await eventually(async () => expect(await stock('S-A')).toBe(48));
    // The order.updated webhook that echoes it moves nothing more.
    await eventually(() => expect(woo.deliveries.filter((d) => d.orderId === order.id && d.topic === 'order.updated').length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await stock('S-A')).toBe(48);
  });
});
