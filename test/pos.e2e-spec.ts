import { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import { StockChangedEvent } from '../src/pos/stock/stock-changed.event.js';
import { bearer, startTestApp, type TestContext } from './support/test-app.js';

describe('POS core', () => {
  let ctx: TestContext;
  let http: ReturnType<typeof request>;
  let businessId: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    http = request(ctx.app.getHttpServer());
    businessId = (await http.post('/businesses').set(bearer()).send({ name: 'Corner Coffee' })).body.id;
  });
  afterAll(() => ctx.close());

  const createProduct = async (sku: string, stock = 100, extra: Record<string, unknown> = {}) => {
    const res = await http
      .post(`/businesses/${businessId}/products`)
      .set(bearer())
      .send({ sku, name: `Product ${sku}`, price: '12.50', stock, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; stock: number };
  };

  describe('happy paths', () => {
    it('creates a business, a category and a product, and reads the product back', async () => {
      const category = await http.post(`/businesses/${businessId}/categories`).set(bearer()).send({ name: 'Beans' });
      expect(category.status).toBe(201);
      expect(category.body).toEqual({ id: expect.any(String), name: 'Beans' });

      const product = await createProduct('BEAN-1', 10, { categoryId: category.body.id });
      const read = await http.get(`/businesses/${businessId}/products/${product.id}`).set(bearer());
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ id: product.id, sku: 'BEAN-1', name: 'Product BEAN-1', price: '12.50', stock: 10, categoryId: category.body.id });

      const ledger = await ctx.db.query('SELECT delta, reason, reference, stock_after FROM stock_movement WHERE product_id = $1', [product.id]);
      expect(ledger.rows).toEqual([{ delta: 10, reason: 'initial', reference: 'initial', stock_after: 10 }]);
    });

    it('adjusts stock and records the movement', async () => {
      const product = await createProduct('ADJ-1', 5);
      const res = await http
        .post(`/businesses/${businessId}/products/${product.id}/stock-adjustments`)
        .set(bearer())
        .send({ delta: -2, reason: 'breakage' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ stock: 3 });
      const ledger = await ctx.db.query('SELECT sum(delta)::int AS total FROM stock_movement WHERE product_id = $1', [product.id]);
      expect(ledger.rows[0].total).toBe(3);
    });
  });

  describe('errors', () => {
    it('answers 409 for a duplicate sku in the same business, but allows it in another', async () => {
      await createProduct('DUP-1');
      const dup = await http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'DUP-1', name: 'x', price: '1.00', stock: 1 });
      expect(dup.status).toBe(409);
      expect(dup.body.message).toContain('DUP-1');

      const other = (await http.post('/businesses').set(bearer()).send({ name: 'Other' })).body.id;
      const ok = await http.post(`/businesses/${other}/products`).set(bearer()).send({ sku: 'DUP-1', name: 'x', price: '1.00', stock: 1 });
      expect(ok.status).toBe(201);
    });

    it('answers 400 naming a malformed id and 404 for unknown ones', async () => {
      const malformed = await http.get(`/businesses/${businessId}/products/123`).set(bearer());
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toBe('productId must be a UUID');

      const unknownBusiness = await http.post('/businesses/6f1c2a52-3f7e-4d0c-9d65-1f1f7f0c0a11/products').set(bearer()).send({ sku: 'A', name: 'A', price: '1.00', stock: 1 });
      expect(unknownBusiness.status).toBe(404);
      const unknownProduct = await http.get(`/businesses/${businessId}/products/6f1c2a52-3f7e-4d0c-9d65-1f1f7f0c0a11`).set(bearer());
      expect(unknownProduct.status).toBe(404);
    });

    it('answers 422 for a category of another business', async () => {
      const other = (await http.post('/businesses').set(bearer()).send({ name: 'Other' })).body.id;
      const foreign = (await http.post(`/businesses/${other}/categories`).set(bearer()).send({ name: 'Theirs' })).body.id;
      const res = await http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'CAT-X', name: 'x', price: '1.00', stock: 1, categoryId: foreign });
      expect(res.status).toBe(422);
      expect(res.body.message).toContain('categoryId');
    });

    it('refuses a manual adjustment that would make stock negative, changing nothing', async () => {
      const product = await createProduct('NEG-1', 1);
      const res = await http.post(`/businesses/${businessId}/products/${product.id}/stock-adjustments`).set(bearer()).send({ delta: -2, reason: 'x' });
      expect(res.status).toBe(409);
      const read = await http.get(`/businesses/${businessId}/products/${product.id}`).set(bearer());
      expect(read.body.stock).toBe(1);
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await http.post('/businesses').set(bearer()).set('content-type', 'application/json').send('{"name":');
      expect(res.status).toBe(400);
    });
  });

  describe('validation names the field', () => {
    const valid = {
      business: { name: 'B' },
      category: { name: 'C' },
      product: { sku: 'V-1', name: 'P', price: '1.00', stock: 1 },
      adjustment: { delta: 1, reason: 'r' },
    };
    type Case = [keyof typeof valid, string, string, Record<string, unknown>];
    const cases: Case[] = [
      ['business', 'missing name', 'name', { name: undefined }],
      ['business', 'name of wrong type', 'name', { name: 42 }],
      ['business', 'unknown field', 'owner', { owner: 'me' }],
      ['category', 'missing name', 'name', { name: undefined }],
      ['category', 'name of wrong type', 'name', { name: ['a'] }],
      ['category', 'unknown field', 'color', { color: 'red' }],
      ['product', 'missing sku', 'sku', { sku: undefined }],
      ['product', 'sku of wrong type', 'sku', { sku: 12 }],
      ['product', 'missing price', 'price', { price: undefined }],
      ['product', 'price as a number', 'price', { price: 12.5 }],
      ['product', 'price with 3 decimals', 'price', { price: '1.005' }],
      ['product', 'negative price', 'price', { price: '-1.00' }],
      ['product', 'missing stock', 'stock', { stock: undefined }],
      ['product', 'stock as a string', 'stock', { stock: '10' }],
      ['product', 'fractional stock', 'stock', { stock: 1.5 }],
      ['product', 'negative stock', 'stock', { stock: -1 }],
      ['product', 'malformed categoryId', 'categoryId', { categoryId: 'abc' }],
      ['product', 'unknown field', 'color', { color: 'red' }],
      ['adjustment', 'missing delta', 'delta', { delta: undefined }],
      ['adjustment', 'delta as a string', 'delta', { delta: '-2' }],
      ['adjustment', 'zero delta', 'delta', { delta: 0 }],
      ['adjustment', 'huge delta', 'delta', { delta: 1e12 }],
      ['adjustment', 'missing reason', 'reason', { reason: undefined }],
      ['adjustment', 'reason of wrong type', 'reason', { reason: true }],
      ['adjustment', 'unknown field', 'note', { note: 'x' }],
    ];

    it.each(cases)('%s: %s -> 400 naming %s', async (kind, _label, field, change) => {
      const productId = kind === 'adjustment' ? (await createProduct(`VAL-${Math.random().toString(36).slice(2, 10)}`)).id : '';
      const path = {
        business: '/businesses',
        category: `/businesses/${businessId}/categories`,
        product: `/businesses/${businessId}/products`,
        adjustment: `/businesses/${businessId}/products/${productId}/stock-adjustments`,
      }[kind];
      const res = await http.post(path).set(bearer()).send({ ...valid[kind], ...change });
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(res.body.message).toContain(field);
    });
  });

  it('emits a typed stock.changed event after the adjustment commits', async () => {
    const product = await createProduct('EVT-1', 4);
    const seen: StockChangedEvent[] = [];
    const events = ctx.app.get(EventEmitter2);
    const listener = (event: StockChangedEvent) => {
      seen.push(event);
    };
    events.on(StockChangedEvent.eventName, listener);
    try {
      await http.post(`/businesses/${businessId}/products/${product.id}/stock-adjustments`).set(bearer()).send({ delta: 3, reason: 'delivery', reference: 'po-1' });
      await http.post(`/businesses/${businessId}/products/${product.id}/stock-adjustments`).set(bearer()).send({ delta: 3, reason: 'delivery', reference: 'po-1' });
    } finally {
      events.off(StockChangedEvent.eventName, listener);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(StockChangedEvent);
    expect(seen[0]).toMatchObject({ businessId, productId: product.id, delta: 3, stock: 7, reason: 'delivery', reference: 'manual:po-1' });
  });

  describe('concurrency', () => {
    it('applies 50 concurrent -1 adjustments exactly: stock 50 lower, 50 ledger rows', async () => {
      const product = await createProduct('CONC-1', 100);
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          http.post(`/businesses/${businessId}/products/${product.id}/stock-adjustments`).set(bearer()).send({ delta: -1, reason: 'sale' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
      expect(new Set(results.map((r) => r.body.stock)).size).toBe(50);

      const read = await http.get(`/businesses/${businessId}/products/${product.id}`).set(bearer());
      expect(read.body.stock).toBe(50);
      const ledger = await ctx.db.query(
        "SELECT count(*)::int AS rows, sum(delta)::int AS total FROM stock_movement WHERE product_id = $1 AND reason = 'sale'",
        [product.id],
      );
      expect(ledger.rows[0]).toEqual({ rows: 50, total: -50 });
    });

    it('applies the same reference once when it is sent 10 times concurrently', async () => {
      const product = await createProduct('CONC-2', 100);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          http
            .post(`/businesses/${businessId}/products/${product.id}/stock-adjustments`)
            .set(bearer())
            .send({ delta: -3, reason: 'sale', reference: 'till-7-receipt-42' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(results.map((r) => r.body.stock)).toEqual(Array(10).fill(97));
      const read = await http.get(`/businesses/${businessId}/products/${product.id}`).set(bearer());
      expect(read.body.stock).toBe(97);
      const ledger = await ctx.db.query("SELECT count(*)::int AS rows FROM stock_movement WHERE product_id = $1 AND reason = 'sale'", [product.id]);
      expect(ledger.rows[0].rows).toBe(1);
    });
  });
});
