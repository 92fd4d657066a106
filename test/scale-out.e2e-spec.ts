import { ProcessBed } from './support/process-bed.js';
import { eventually } from './support/eventually.js';

const PERIOD_MS = 3000;
const PERIODS = 7;

/**
 * ROLE=api and ROLE=worker as a deployment runs them: one api process and two workers against one Postgres and
 * one Redis. Orders are ingested exactly once, and a schedule fires once per period, not once per process.
 */
describe('scaling out: one api and two worker processes', () => {
  let bed: ProcessBed;

  beforeAll(async () => {
    // A shop whose cost bucket refills fast (Shopify Plus's rate and more): polls every 3 s of 60 orders would
    // otherwise wait on the bucket longer than a period, and this test is about the schedule, not the throttle.
    bed = await ProcessBed.start({ POLL_INTERVAL_MINUTES: String(PERIOD_MS / 60_000), LOG_LEVEL: 'info' }, { restoreRate: 1000, bucketSize: 2000 });
  });
  afterAll(() => bed.stop());

  it('ingests every order exactly once and polls once per period', async () => {
    const workers = [await bed.app({ ROLE: 'worker' }), await bed.app({ ROLE: 'worker' })];
    const api = await bed.app({ ROLE: 'api' });

    // Workers serve only probes and metrics; the API is the api process's.
    const refused = await fetch(`${workers[0].baseUrl}/businesses`, { method: 'POST' });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { message: string }).message).toMatch(/ROLE=worker/);
    expect((await fetch(`${workers[0].baseUrl}/metrics`)).status).toBe(200);
    const webhooksOnWorker = await fetch(`${workers[1].baseUrl}/ecommerce/webhooks/shopify`, { method: 'POST' });
    expect(webhooksOnWorker.status).toBe(404);

    const shop = 'scale-out.myshopify.com';
    const businessId = await bed.connected(api, shop);
    const status = await bed.api(api, 'GET', `/ecommerce/status?businessId=${businessId}`);
    for (const queue of status.queues as Array<{ name: string; workers: number }>) expect({ [queue.name]: queue.workers }).toEqual({ [queue.name]: 2 });

    // Duplicates under both ids: redeliveries of one webhook id, and new ids for the same order.
    bed.emulator.setWebhookBehaviour({ duplicates: 2, duplicatesKeepWebhookId: false });
    await bed.burst(shop, 60, 2000);
    await bed.expectExact(businessId, shop);

    // Both workers took deliveries, and their log lines carry the job's ids.
    for (const worker of workers) {
      const line = worker.output.split('\n').find((l) => l.includes('"queue":"ecommerce-webhooks"') && l.includes('"deliveryId"'));
      expect(line && JSON.parse(line)).toMatchObject({ jobId: expect.any(String), deliveryId: expect.any(String), businessId });
    }

    // Let several periods pass, then count the scheduled polls after the first (the look-back run at connect).
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, PERIODS * PERIOD_MS));
    const polls = await bed.db.query<{ started: Date }>(
      "SELECT started_at AS started FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll' AND started_at >= $2 AND started_at < $3 ORDER BY started_at",
      [businessId, new Date(windowStart), new Date(windowStart + PERIODS * PERIOD_MS)],
    );
    const runs = polls.rows.map((row) => row.started.getTime());
    // Once per period gives 7 (fewer when a busy machine delays a run); once per worker would give 14.
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.length).toBeLessThanOrEqual(PERIODS + 1);
    const gaps = runs.slice(1).map((at, i) => at - runs[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThan(PERIOD_MS / 2);
    await eventually(async () => {
      const all = await bed.db.query("SELECT status FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId]);
      expect(all.rows.every((row) => row.status === 'success')).toBe(true);
    });
  }, 120_000);
});
