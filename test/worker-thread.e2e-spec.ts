import { ProcessBed } from './support/process-bed.js';

/**
 * `npm start` as it ships (ROLE=all): the api in the main thread, the workers in a supervised worker thread, and
 * stored deliveries handed to that thread directly rather than through one queue job each.
 */
describe('ROLE=all: the workers run in a worker thread of the process', () => {
  let bed: ProcessBed;

  beforeAll(async () => {
    bed = await ProcessBed.start({ LOG_LEVEL: 'info' });
  });
  afterAll(() => bed.stop());

  it('ingests every order exactly once through the hand-off, without a queue job per delivery; /health and /metrics include the thread', async () => {
    const app = await bed.app();
    const shop = 'worker-thread.myshopify.com';
    const businessId = await bed.connected(app, shop);
    bed.emulator.setWebhookBehaviour({ duplicates: 2, duplicatesKeepWebhookId: false });
    await bed.burst(shop, 60, 1000);
    await bed.expectExact(businessId, shop);

    const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as { status: string; checks: Record<string, { status: string }> };
    expect(health.status).toBe('ok');
    expect(health.checks.workers).toEqual(expect.objectContaining({ status: 'up' }));

    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^ecommerce_worker_thread_restarts_total 0$/m);
    // The orders were ingested by the thread (its registry is merged in), yet no delivery needed a queue job.
    expect(metrics).toMatch(/^ecommerce_orders_ingested_total\{[^}]*\} [1-9]/m);
    expect(metrics).not.toMatch(/^ecommerce_job_duration_seconds_count\{[^}]*job="process-delivery"[^}]*\} [1-9]/m);
  }, 120_000);
});
