import { cpus } from 'node:os';
import { API_SECRET, connectedBusiness, percentile, round, runLoadGenerator, scalar, sleep, startBenchApp } from './support.js';

export interface WebhookIngestOptions {
  orders: number;
  concurrency: number;
}

/** Signed deliveries against the real app, 50% duplicates; then waits until every order is ingested and checks exactness. */
export async function webhookIngest({ orders, concurrency }: WebhookIngestOptions) {
  const app = await startBenchApp({ env: process.env.BENCH_ROLE ? { ROLE: process.env.BENCH_ROLE } : {} });
  try {
    const shop = 'bench-webhooks.myshopify.com';
    const products = 100;
    const { businessId, productIds } = await connectedBusiness(app, shop, products, 1_000_000);
    await sleep(500);

    const load = await runLoadGenerator({ url: app.base, shop, secret: API_SECRET, orders, products, concurrency, firstOrderId: 5_000_000 });

    let ingested = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      ingested = await scalar(app.db, 'SELECT count(*) AS value FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
      const pending = await scalar(app.db, "SELECT count(*) AS value FROM ecommerce_webhook_delivery WHERE status = 'received'");
      if (ingested >= load.distinctOrders && pending === 0) break;
      await sleep(20);
    }
    const drainSeconds = (Date.now() - load.lastAckAt) / 1000;
    const decrements = await scalar(app.db, "SELECT count(*) AS value FROM stock_movement WHERE business_id = $1 AND reason = 'online_order'", [businessId]);
    const totalStock = await scalar(app.db, 'SELECT sum(stock) AS value FROM product WHERE id = ANY($1)', [productIds]);
    const exact = ingested === load.distinctOrders && decrements === load.distinctLines && totalStock === products * 1_000_000 - load.distinctLines;
    return {
      benchmark: 'webhook-ingest',
      cores: cpus().length,
      deliveries: load.sent,
      duplicateShare: 0.5,
      concurrency,
      deliveriesPerSecond: round(load.sent / load.seconds, 0),
      ackLatencyMs: { p50: round(percentile(load.latencies, 50), 2), p99: round(percentile(load.latencies, 99), 2), max: round(load.latencies.at(-1) ?? 0, 2) },
      statuses: load.statuses,
      drainSeconds: round(drainSeconds, 2),
      peakRssMb: app.peakRssMb(),
      exactness: { pass: exact, distinctOrders: load.distinctOrders, ingestedOrders: ingested, distinctLines: load.distinctLines, stockDecrements: decrements },
      targets: { deliveriesPerSecond: 2000, p99Ms: 50, drainSeconds: 5, peakRssMb: 300 },
    };
  } finally {
    await app.stop();
  }
}
