import { randomUUID } from 'node:crypto';
import { ForwardingAlerts } from '../src/ecommerce/forwarding/forwarding-alerts.js';
import { ForwardingSender } from '../src/ecommerce/forwarding/forwarding-sender.js';
import { ForwardingRepository } from '../src/ecommerce/forwarding/forwarding.repository.js';
import { SyncLogService } from '../src/ecommerce/sync-log/sync-log.service.js';
import { eventually } from './support/eventually.js';
import { FakeErp, type Behaviour } from './support/fake-erp.js';
import { connectShop, createBusiness, startAppWithEmulator, type ShopifyTestContext } from './support/shopify.js';
import { SmtpCapture } from './support/smtp.js';
import { bearer } from './support/test-app.js';

/**
 * Orders forwarded to a merchant's ERP (the fake ERP over HTTP), with e-mail through a real SMTP server. The retry
 * schedule runs a thousand times faster (FORWARDING_TIME_SCALE=0.001): 1 s, 5 s, 30 s, 2 min, 10 min become ms.
 */
describe('forwarding orders to the ERP', () => {
  let ctx: ShopifyTestContext;
  let erp: FakeErp;
  let smtp: SmtpCapture;
  let businessId: string;
  let destination: { id: string; signingSecret: string };
  const SHOP = 'forwarding.myshopify.com';
  const AUTH = { name: 'X-Api-Key', value: `erp-key-${randomUUID()}` };

  beforeAll(async () => {
    erp = await FakeErp.start();
    smtp = await SmtpCapture.start();
    ctx = await startAppWithEmulator({ FORWARDING_TIME_SCALE: '0.001', SMTP_URL: smtp.url });
    businessId = await createBusiness(ctx, 'Forwarding');
    for (const sku of ['F-A', 'F-B']) await ctx.http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku, name: sku, price: '2.00', stock: 100 });
    ctx.emulator.createShop(SHOP);
    await connectShop(ctx, businessId, SHOP);
  });
  afterAll(async () => {
    await ctx?.close();
    await erp?.stop();
    await smtp?.stop();
  });

  /** Places an order in the shop; the fake ERP answers its sends as `behaviours` say (then 200). */
  const place = async (sku = 'F-A', ...behaviours: Behaviour[]) => {
    // The ERP must know what to do before the order's first send, which follows its ingestion within milliseconds.
    erp.plan(`#${1001 + ctx.emulator.shop(SHOP).orders.size}`, ...behaviours);
    const order = ctx.emulator.createOrder(SHOP, { lineItems: [{ sku, quantity: 1 }] });
    const id = await eventually(async () => {
      const list = await ctx.http.get(`/ecommerce/orders?businessId=${businessId}&q=${encodeURIComponent(order.name)}`).set(bearer());
      expect(list.body.items).toHaveLength(1);
      return list.body.items[0].id as string;
    });
    return { name: order.name, id, shopifyId: order.id };
  };
  const forwarding = async (orderId: string) => (await ctx.http.get(`/ecommerce/orders/${orderId}`).set(bearer())).body.forwarding as Array<Record<string, any>>;
  const setEnabled = (enabled: boolean) => ctx.http.patch(`/ecommerce/forwarding/destinations/${destination.id}`).set(bearer()).send({ enabled });
  /** An order whose message waits, unsent: a disabled destination keeps its messages but is not sent to. */
  const placeHeldBack = async () => {
    await setEnabled(false);
    const order = await place();
    const [message] = await eventually(async () => {
      const messages = await forwarding(order.id);
      expect(messages).toHaveLength(1);
      return messages;
    });
    return { order, message };
  };
  /** The message as a worker leaves it mid-send: claimed by `claimId` for `lease` (an SQL interval). */
  const claimByHand = (messageId: string, claimId: string, lease: string) =>
    ctx.db.query("UPDATE ecommerce_forwarding_message SET status = 'sending', claim_id = $2, claimed_until = now() + $3::interval, sends = sends + 1 WHERE id = $1", [messageId, claimId, lease]);
  const settled = (orderId: string, status: string) =>
    eventually(async () => {
      const [message] = await forwarding(orderId);
      expect(message?.status).toBe(status);
      return message;
    }, 20_000, 50);

  it('refuses a bad destination with 400 naming the field, and creates one with its signing secret shown once', async () => {
    for (const [body, field] of [
      [{ url: 'ftp://erp' }, /url must be an http\(s\) URL/],
      [{ events: ['order.shipped'] }, /events must be among/],
      [{ timeoutSeconds: 0 }, /timeoutSeconds/],
      [{ notifyEmails: ['not-an-address'] }, /notifyEmails/],
      [{ erpOrderIdPath: 'a..b' }, /erpOrderIdPath/],
    ] as const) {
      const res = await ctx.http.post('/ecommerce/forwarding/destinations').set(bearer()).send({ businessId, name: 'ERP', url: erp.url, ...body });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(field);
    }
    const created = await ctx.http
      .post('/ecommerce/forwarding/destinations')
      .set(bearer())
      .send({ businessId, name: 'ERP', url: erp.url, authHeader: AUTH, events: ['order.created', 'order.cancelled'], erpOrderIdPath: 'object.order_id', messagePath: 'message', notifyEmails: ['ops@example.com'], timeoutSeconds: 1 });
    expect(created.status).toBe(201);
    destination = created.body as typeof destination;
    expect(destination.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    erp.secret = destination.signingSecret;
    erp.auth = AUTH;
    const list = await ctx.http.get(`/ecommerce/forwarding/destinations?businessId=${businessId}`).set(bearer());
    expect(list.body).toEqual([expect.objectContaining({ id: destination.id, authHeaderName: 'X-Api-Key', enabled: true })]);
    expect(JSON.stringify(list.body)).not.toContain(AUTH.value);
    expect(JSON.stringify(list.body)).not.toContain(destination.signingSecret);
  });

  it('sends a new order once, signed, and keeps the ERP order id and message from the answer', async () => {
    const order = await place();
    const message = await settled(order.id, 'in_progress');
    expect(message).toMatchObject({ erpOrderId: expect.stringMatching(/^ERP-\d+$/), erpMessage: `Order ${order.name} created`, event: 'order.created', sends: 1 });
    const [received] = erp.for(order.name);
    expect(received.verified).toBe(true);
    expect(received.headers['webhook-id']).toBe(`msg_${message.id}`);
    const body = JSON.parse(received.body);
    expect(body).toMatchObject({ type: 'order.created', id: `msg_${message.id}`, order: { number: order.name, externalId: String(order.shopifyId), source: { provider: 'shopify' }, totals: { total: expect.stringMatching(/^\d+\.\d{2}$/) }, lines: [{ sku: 'F-A', quantity: 1 }] } });
    expect(message.attempts).toEqual([expect.objectContaining({ trigger: 'scheduled', statusCode: 200, outcome: 'in_progress', requestHeaders: expect.objectContaining({ 'X-Api-Key': '[redacted]', 'webhook-signature': '[redacted]' }) })]);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=forwarding`).set(bearer());
    expect(logs.body.items[0].message).toMatch(new RegExp(`Order ${order.name} \\(order.created\\) sent to ERP "ERP": HTTP 200, ERP order ERP-`));
  });

  it('holds an order at once on a 4xx, with the ERP message on the timeline and an e-mail that says how to reprocess', async () => {
    const order = await place('F-A', { kind: 'status', status: 422, body: { message: 'Unknown customer' } });
    const message = await settled(order.id, 'on_hold');
    expect(message).toMatchObject({ sends: 1, lastError: 'HTTP 422: Unknown customer' });
    await eventually(() => expect(smtp.mails.find((m) => m.subject.includes(order.name))).toBeDefined());
    const mail = smtp.mails.find((m) => m.subject.includes(order.name))!;
    expect(mail.to).toEqual(['ops@example.com']);
    expect(mail.subject).toBe(`Order ${order.name} is on hold: ERP "ERP" did not accept it`);
    expect(mail.text).toContain('Error: HTTP 422: Unknown customer');
    expect(mail.text).toContain(`/ecommerce/forwarding/messages/${message.id}/reprocess`);
    const logs = await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=forwarding&status=failed`).set(bearer());
    expect(logs.body.items[0].message).toMatch(/on hold for ERP "ERP": HTTP 422: Unknown customer/);

    // Reprocess, once the ERP knows the customer: a manual send, and it is in.
    const again = await ctx.http.post(`/ecommerce/forwarding/messages/${message.id}/reprocess`).set(bearer()).send({});
    expect(again.status).toBe(202);
    const delivered = await settled(order.id, 'in_progress');
    expect(delivered.attempts.map((a: { trigger: string; outcome: string }) => `${a.trigger}:${a.outcome}`)).toEqual(['scheduled:on_hold', 'manual:in_progress']);
    // Sending again what the ERP has needs force.
    const refused = await ctx.http.post(`/ecommerce/forwarding/messages/${message.id}/reprocess`).set(bearer()).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/force/);
    expect((await ctx.http.post(`/ecommerce/forwarding/messages/${message.id}/reprocess`).set(bearer()).send({ force: true })).status).toBe(202);
    await eventually(() => expect(erp.for(order.name)).toHaveLength(3));
  });

  it('retries 5xx, timeouts and dropped connections on the schedule (six sends), with the same webhook-id, then holds', async () => {
    const order = await place('F-A', { kind: 'status', status: 503 }, { kind: 'hang' }, { kind: 'drop' }, { kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'status', status: 504 });
    const message = await settled(order.id, 'on_hold');
    expect(message.sends).toBe(6);
    expect(message.lastError).toMatch(/^HTTP 504/);
    const sent = erp.for(order.name);
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((r) => r.headers['webhook-id']))).toEqual(new Set([`msg_${message.id}`]));
    expect(message.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry', 'on_hold']);
    expect(message.attempts[1].error).toMatch(/timed out after 1 s/);
    // Scaled: 1 s, 5 s, 30 s, 2 min, 10 min became 1, 5, 30, 120, 600 ms at least between sends.
    const gaps = sent.slice(1).map((r, i) => r.at - sent[i].at);
    expect(gaps[3]).toBeGreaterThanOrEqual(120);
    expect(gaps[4]).toBeGreaterThanOrEqual(600);
  }, 30_000);

  it("honours 429's Retry-After, and disables the destination on 410", async () => {
    const throttled = await place('F-A', { kind: 'status', status: 429, retryAfterSeconds: 2 });
    const done = await settled(throttled.id, 'in_progress');
    const [first, second] = erp.for(throttled.name);
    // Retry-After 2 s, scaled like the schedule: at least 2 ms, and the first delay (1 s) would be 1 ms.
    expect(second.at - first.at).toBeGreaterThanOrEqual(2);
    expect(done.sends).toBe(2);

    const gone = await place('F-A', { kind: 'status', status: 410 });
    await settled(gone.id, 'on_hold');
    const list = await ctx.http.get(`/ecommerce/forwarding/destinations?businessId=${businessId}`).set(bearer());
    expect(list.body[0]).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/410 Gone/) });
    expect((await setEnabled(true)).body).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('sends a message once when workers and a reprocess race for it', async () => {
    const sender = ctx.app.get(ForwardingSender, { strict: false });
    const repository = ctx.app.get(ForwardingRepository, { strict: false });
    const order = await place('F-A', { kind: 'status', status: 500 });
    const held = await eventually(async () => {
      const [message] = await forwarding(order.id);
      expect(message.attempts.length).toBeGreaterThanOrEqual(1);
      return message;
    });
    erp.plan(order.name, { kind: 'slow', ms: 200 });
    await Promise.all([
      ...Array.from({ length: 5 }, () => sender.send(held.id)),
      repository.reprocess({ ids: [held.id], statuses: ['pending', 'on_hold'] }),
      ...Array.from({ length: 5 }, () => sender.send(held.id)),
    ]);
    await settled(order.id, 'in_progress');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(erp.for(order.name).filter((r) => r.answered === 200)).toHaveLength(1);
  });

  it('takes over a message whose worker died mid-send, once its claim lapses', async () => {
    const { order, message } = await placeHeldBack();
    // What a worker that claimed it and was killed mid-send leaves behind: a claim that nobody will finish.
    await claimByHand(message.id, randomUUID(), '500 milliseconds');
    await setEnabled(true);
    const delivered = await settled(order.id, 'in_progress');
    expect(delivered.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['in_progress']);
    expect(erp.for(order.name)).toHaveLength(1);
  }, 30_000);

  it('stores an outcome only with its log entry: when the entry cannot be written, nothing of the outcome is kept and the claim stands', async () => {
    const repository = ctx.app.get(ForwardingRepository, { strict: false });
    const syncLog = ctx.app.get(SyncLogService, { strict: false });
    try {
      const { message } = await placeHeldBack();
      const claimId = randomUUID();
      await claimByHand(message.id, claimId, '1 minute');
      const attempt = { trigger: 'scheduled' as const, startedAt: new Date(), durationMs: 5, statusCode: 200, error: null, responseExcerpt: null, requestHeaders: {}, outcome: 'in_progress' };
      const change = { status: 'in_progress' as const, lastError: null, delivered: true };
      const entry = { businessId, type: 'forwarding' as const, direction: 'outbound' as const, status: 'success' as const, message: `entry for ${message.id}`, details: { messageId: message.id } };
      const stored = async () => (await ctx.db.query('SELECT m.status, m.claim_id, (SELECT count(*)::int FROM ecommerce_forwarding_attempt a WHERE a.message_id = m.id) AS attempts, (SELECT count(*)::int FROM ecommerce_sync_log l WHERE l.message = $2) AS entries FROM ecommerce_forwarding_message m WHERE m.id = $1', [message.id, entry.message])).rows[0];

      await expect(repository.finish(message.id, claimId, attempt, change, () => Promise.reject(new Error('the sync log is unavailable')))).rejects.toThrow('the sync log is unavailable');
      expect(await stored()).toEqual({ status: 'sending', claim_id: claimId, attempts: 0, entries: 0 });

      expect(await repository.finish(message.id, claimId, attempt, change, (manager) => syncLog.record(entry, manager))).toBe(true);
      expect(await stored()).toEqual({ status: 'in_progress', claim_id: null, attempts: 1, entries: 1 });
    } finally {
      await setEnabled(true);
    }
  });

  it('sends the cancellation of an order to destinations that asked for it', async () => {
    const order = await place('F-B');
    await settled(order.id, 'in_progress');
    ctx.emulator.updateOrder(SHOP, order.shopifyId, { cancel: true });
    await eventually(async () => {
      const messages = await forwarding(order.id);
      expect(messages.map((m) => `${m.event}:${m.status}`).sort()).toEqual(['order.cancelled:in_progress', 'order.created:in_progress']);
    }, 20_000);
  });

  it('reprocesses every held order of a destination in one call', async () => {
    erp.plan('*', { kind: 'status', status: 400 }, { kind: 'status', status: 400 });
    const first = await place();
    const second = await place();
    await settled(first.id, 'on_hold');
    await settled(second.id, 'on_hold');
    const held = await ctx.http.get(`/ecommerce/forwarding/messages?businessId=${businessId}&status=on_hold`).set(bearer());
    expect(held.body.items.length).toBeGreaterThanOrEqual(2);
    const bulk = await ctx.http.post('/ecommerce/forwarding/reprocess').set(bearer()).send({ businessId, destinationId: destination.id, status: 'on_hold' });
    expect(bulk.status).toBe(202);
    expect(bulk.body.reprocessed).toBe(held.body.items.length);
    await settled(first.id, 'in_progress');
    await settled(second.id, 'in_progress');
    expect((await ctx.http.get(`/ecommerce/forwarding/messages?businessId=${businessId}&status=on_hold`).set(bearer())).body.items).toEqual([]);
  });

  it('flags, counts and e-mails once (per destination) the orders not in the ERP 30 minutes after ingestion', async () => {
    await ctx.http.patch(`/ecommerce/forwarding/destinations/${destination.id}`).set(bearer()).send({ timeoutSeconds: 1 });
    erp.plan('*', ...Array.from({ length: 12 }, () => ({ kind: 'status' as const, status: 500 })));
    const first = await place();
    const second = await place();
    await settled(first.id, 'on_hold');
    await settled(second.id, 'on_hold');
    const alerts = ctx.app.get(ForwardingAlerts, { strict: false });
    const real = alerts.now;
    try {
      alerts.now = () => new Date(Date.now() + 31 * 60_000);
      alerts.reset();
      await alerts.check();
      alerts.reset();
      await alerts.check();
    } finally {
      alerts.now = real;
    }
    const overdue = smtp.mails.filter((m) => m.subject.includes('not in ERP "ERP" after 30 minutes'));
    expect(overdue).toHaveLength(1);
    expect(overdue[0].text).toContain(`order ${first.name}: on hold`);
    expect(overdue[0].text).toContain(`order ${second.name}: on hold`);
    expect(await (await fetch(`${ctx.baseUrl}/metrics`)).text()).toMatch(/ecommerce_forwarding_overdue_messages [1-9]/);
    const row = await ctx.db.query("SELECT count(*)::int AS n FROM notification WHERE kind = 'forwarding_overdue' AND delivery = 'sent'");
    expect(row.rows[0].n).toBe(1);
  });

  it('lets support read messages but not manage destinations or reprocess; keeps secrets out of every answer', async () => {
    const { body: key } = await ctx.http.post('/admin/api-keys').set(bearer()).send({ name: 'support', role: 'support' });
    expect((await ctx.http.get(`/ecommerce/forwarding/messages?businessId=${businessId}`).set(bearer(key.key))).status).toBe(200);
    expect((await ctx.http.post('/ecommerce/forwarding/destinations').set(bearer(key.key)).send({ businessId, name: 'x', url: erp.url })).status).toBe(403);
    expect((await ctx.http.post('/ecommerce/forwarding/reprocess').set(bearer(key.key)).send({ businessId, status: 'on_hold' })).status).toBe(403);
    const answers = JSON.stringify([
      (await ctx.http.get(`/ecommerce/forwarding/messages?businessId=${businessId}&limit=200`).set(bearer())).body,
      (await ctx.http.get(`/ecommerce/forwarding/destinations?businessId=${businessId}`).set(bearer())).body,
      (await ctx.http.get(`/ecommerce/sync/logs?businessId=${businessId}&type=forwarding&limit=200`).set(bearer())).body,
    ]);
    expect(answers).not.toContain(AUTH.value);
    expect(answers).not.toContain(destination.signingSecret.slice(6));
    const rotated = await ctx.http.post(`/ecommerce/forwarding/destinations/${destination.id}/rotate-secret`).set(bearer());
    expect(rotated.body.signingSecret).not.toBe(destination.signingSecret);
  });
});
