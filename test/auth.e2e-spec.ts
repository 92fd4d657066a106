import { ShutdownSignal } from '../src/common/lifecycle/shutdown-signal.js';
import request from 'supertest';
import { bearer, startTestApp, type TestContext } from './support/test-app.js';

describe('admin authentication and API keys', () => {
  let ctx: TestContext;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    ctx = await startTestApp();
    http = request(ctx.app.getHttpServer());
  });
  afterAll(() => ctx.close());

  it('answers 401 without a token and with a wrong one', async () => {
    const none = await http.post('/businesses').send({ name: 'Shop' });
    expect(none.status).toBe(401);
    expect(none.body.message).toMatch(/bearer token/i);
    const wrong = await http.post('/businesses').set(bearer('not-the-token')).send({ name: 'Shop' });
    expect(wrong.status).toBe(401);
    const malformed = await http.post('/businesses').set({ authorization: 'Basic abc' }).send({ name: 'Shop' });
    expect(malformed.status).toBe(401);
  });

  it('creates a key shown once, stores only its hash, lists it without the key', async () => {
    const created = await http.post('/admin/api-keys').set(bearer()).send({ name: 'desk', role: 'support' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'desk', role: 'support', key: expect.stringMatching(/^pk_/) });

    const stored = await ctx.db.query('SELECT key_hash FROM api_key WHERE id = $1', [created.body.id]);
    expect(stored.rows[0].key_hash).toHaveLength(64);
    expect(stored.rows[0].key_hash).not.toContain(created.body.key);

    const list = await http.get('/admin/api-keys').set(bearer());
    expect(list.status).toBe(200);
    const item = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(item).toEqual({ id: created.body.id, name: 'desk', role: 'support', createdAt: expect.any(String), lastUsedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
  });

  it('lets an operator key take support actions (poll, pushes, replay) but not change settings, keys or connections', async () => {
    const { body: key } = await http.post('/admin/api-keys').set(bearer()).send({ name: 'ops', role: 'operator' });
    const { body: business } = await http.post('/businesses').set(bearer()).send({ name: 'Operated' });
    // Past the guard: the business has no connection, so the action itself answers 404.
    for (const path of ['/ecommerce/sync/poll', '/ecommerce/sync/products', '/ecommerce/sync/collections']) {
      const res = await http.post(path).set(bearer(key.key)).send({ businessId: business.id });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await http.post(`/ecommerce/webhooks/deliveries/${business.id}/replay`).set(bearer(key.key))).status).toBe(404);
    expect((await http.get(`/businesses/${business.id}`).set(bearer(key.key))).status).toBe(200);
    for (const [method, path, body] of [
      ['post', '/businesses', { name: 'Nope' }],
      ['post', '/admin/api-keys', { name: 'x', role: 'admin' }],
      ['get', '/admin/api-keys', undefined],
      ['post', '/ecommerce/connect', { businessId: business.id, shop: 'x.myshopify.com' }],
      ['delete', `/ecommerce/connection?businessId=${business.id}`, undefined],
    ] as const) {
      const res = await http[method](path).set(bearer(key.key)).send(body);
      expect({ path, status: res.status, message: res.body.message }).toEqual({ path, status: 403, message: expect.stringMatching(/Role "operator" may not do this; it needs the admin role/) });
    }
    const { body: support } = await http.post('/admin/api-keys').set(bearer()).send({ name: 'desk-2', role: 'support' });
    const refused = await http.post('/ecommerce/sync/poll').set(bearer(support.key)).send({ businessId: business.id });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/needs the admin role or the operator role/);
  });

  it('lets a support key read but not write (403), and not manage keys', async () => {
    const { body: key } = await http.post('/admin/api-keys').set(bearer()).send({ name: 'reader', role: 'support' });
    const { body: business } = await http.post('/businesses').set(bearer()).send({ name: 'Shop' });

    const read = await http.get(`/businesses/${business.id}`).set(bearer(key.key));
    expect(read.status).toBe(200);
    const write = await http.post('/businesses').set(bearer(key.key)).send({ name: 'Nope' });
    expect(write.status).toBe(403);
    expect(write.body.message).toMatch(/admin role/);
    const keys = await http.get('/admin/api-keys').set(bearer(key.key));
    expect(keys.status).toBe(403);

    const list = await http.get('/admin/api-keys').set(bearer());
    const used = list.body.items.find((k: { id: string }) => k.id === key.id);
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('lets an admin key write, and stops a revoked key at once', async () => {
    const { body: key } = await http.post('/admin/api-keys').set(bearer()).send({ name: 'ops', role: 'admin' });
    expect((await http.post('/businesses').set(bearer(key.key)).send({ name: 'Shop' })).status).toBe(201);

    expect((await http.delete(`/admin/api-keys/${key.id}`).set(bearer())).status).toBe(204);
    expect((await http.post('/businesses').set(bearer(key.key)).send({ name: 'Shop' })).status).toBe(401);
    expect((await http.delete(`/admin/api-keys/${key.id}`).set(bearer())).status).toBe(404);
  });

  it('validates key bodies and ids', async () => {
    const badRole = await http.post('/admin/api-keys').set(bearer()).send({ name: 'x', role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.fields[0].field).toBe('role');
    const badId = await http.delete('/admin/api-keys/not-a-uuid').set(bearer());
    expect(badId.status).toBe(400);
    expect(badId.body.message).toBe('id must be a UUID');
  });

  it('keeps health and docs public', async () => {
    const health = await http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { database: { status: 'up' }, redis: { status: 'up' }, workers: { status: 'up' } } });
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { serving: { status: 'up' }, database: { status: 'up' } } });
    const docs = await http.get('/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/businesses', '/businesses/{businessId}/products/{productId}/stock-adjustments', '/admin/api-keys', '/ecommerce/webhooks/shopify']),
    );
    expect(docs.body.components.securitySchemes.bearer.bearerFormat).not.toBe('JWT');
    // Every operation documents the error answers the error filter can give.
    const operations = Object.entries(docs.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)
      .filter(([path]) => !/^\/ecommerce\/webhooks\/(shopify|woocommerce|in)/.test(path))
      .flatMap(([, item]) => Object.values(item));
    for (const operation of operations) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '404', '503']));
    const callback = docs.body.paths['/ecommerce/oauth/callback'].get as { parameters: Array<{ name: string }> };
    expect(callback.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['code', 'hmac', 'shop', 'state', 'timestamp']));
  });

  it('keeps an api process with no worker anywhere healthy and ready (the status flags the missing workers), and unready while shutting down', async () => {
    const apiOnly = await startTestApp({ ROLE: 'api' });
    try {
      const http = request(apiOnly.app.getHttpServer());
      const health = await http.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.checks).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
      expect((await http.get('/health/ready')).status).toBe(200);
      const business = (await http.post('/businesses').set(bearer()).send({ name: 'No workers' })).body.id as string;
      const status = await http.get(`/ecommerce/status?businessId=${business}`).set(bearer());
      expect(status.body.flags).toEqual(expect.arrayContaining([{ item: 'queue:ecommerce-webhooks', reason: expect.stringMatching(/No worker is connected/) }]));
      // What a load balancer sees once SIGTERM arrived: not ready, so it stops sending webhooks here.
      apiOnly.app.get(ShutdownSignal).beforeApplicationShutdown();
      const draining = await http.get('/health/ready');
      expect(draining.status).toBe(503);
      expect(draining.body.failing).toEqual(['serving']);
    } finally {
      await apiOnly.close();
    }
  });
});
