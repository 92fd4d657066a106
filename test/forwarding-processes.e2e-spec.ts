import { eventually } from './support/eventually.js';
import { FakeErp } from './support/fake-erp.js';
import { ProcessBed } from './support/process-bed.js';

/**
 * ERP forwarding across real processes: two workers and reprocess requests racing still give each message one
 * success, and a worker killed in the middle of a send leaves the message to another worker, sent again with the
 * same webhook-id, not lost.
 */
describe('ERP forwarding across processes', () => {
  let bed: ProcessBed;
  let erp: FakeErp;

  beforeAll(async () => {
    erp = await FakeErp.start();
    bed = await ProcessBed.start({ FORWARDING_TIME_SCALE: '0.001' });
  });
  afterAll(async () => {
    await erp?.stop();
    await bed?.stop();
  }, 60_000);

  const successes = () => {
    const byId = new Map<string, number>();
    for (const r of erp.received) if (r.answered === 200) byId.set(r.headers['webhook-id'], (byId.get(r.headers['webhook-id']) ?? 0) + 1);
    return byId;
  };

  it('sends each message once while two workers and reprocess requests race, then survives a worker killed mid-send', async () => {
    const first = await bed.app();
    const second = await bed.app();
    const shop = 'forwarding-processes.myshopify.com';
    const businessId = await bed.connected(first, shop);
    const destination = await bed.api(first, 'POST', '/ecommerce/forwarding/destinations', { businessId, name: 'ERP', url: erp.url, timeoutSeconds: 2 });
    erp.secret = destination.signingSecret as string;

    // Slow answers keep sends in flight while both dispatchers and the reprocess requests go for the same messages.
    erp.plan('*', ...Array.from({ length: 40 }, () => ({ kind: 'slow' as const, ms: 50 })));
    await bed.burst(shop, 20, 200);
    for (let i = 0; i < 10; i++) {
      const page = await bed.api(second, 'GET', `/ecommerce/forwarding/messages?businessId=${businessId}&status=pending`);
      await Promise.all(
        (page.items as Array<{ id: string }>).map((m) => bed.api(i % 2 ? first : second, 'POST', `/ecommerce/forwarding/messages/${m.id}/reprocess`, {}).catch(() => undefined)),
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await eventually(async () => {
      const { rows } = await bed.db.query("SELECT count(*) FILTER (WHERE status = 'in_progress')::int AS done, count(*)::int AS total FROM ecommerce_forwarding_message");
      expect(rows[0].total).toBe(20);
      expect(rows[0].done).toBe(20);
    }, 30_000, 100);
    expect([...successes().values()]).toEqual(Array.from({ length: 20 }, () => 1));

    // Only `first` sends from now on; it is killed while the ERP holds its request open.
    await second.stop();
    erp.clearPlans();
    erp.plan('*', { kind: 'hang' });
    bed.emulator.createOrder(shop, { lineItems: [{ sku: 'A', quantity: 1 }] });
    await eventually(() => expect(erp.received.length).toBe(21), 15_000, 20);
    await first.kill();
    const { rows: claimed } = await bed.db.query("SELECT id, status FROM ecommerce_forwarding_message ORDER BY created_at DESC LIMIT 1");
    expect(claimed[0].status).toBe('sending');
    const third = await bed.app({ ROLE: 'worker' });
    await eventually(async () => {
      const { rows } = await bed.db.query('SELECT status, sends FROM ecommerce_forwarding_message WHERE id = $1', [claimed[0].id]);
      expect(rows[0].status).toBe('in_progress');
    }, 30_000, 100);
    const sends = erp.received.filter((r) => r.headers['webhook-id'] === `msg_${claimed[0].id as string}`);
    expect(sends).toHaveLength(2);
    expect(sends.map((r) => r.answered)).toEqual(['hang', 200]);
    expect(successes().get(`msg_${claimed[0].id as string}`)).toBe(1);
    await third.stop();
  }, 120_000);
});
