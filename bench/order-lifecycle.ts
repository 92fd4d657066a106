import { cpus } from 'node:os';
import { API_SECRET, connectedBusiness, percentile, round, runLoadGenerator, scalar, sleep, startBenchApp } from './support.js';

export interface OrderLifecycleOptions {
  orders: number;
  concurrency: number;
}

/**
 * Orders with edits, refunds (with and without restock) and cancellations, every delivery sent twice and all
 * shuffled: throughput, the drain until every delivery is done, and POS stock exact against what the orders hold.
 */
export async function orderLifecycle({ orders, concurrency }: OrderLifecycleOptions) {
  const app = await startBenchApp();
  try {
    const shop = 'bench-lifecycle.myshopify.com';
    const products = 100;
    const { businessId, productIds } = await connectedBusiness(app, shop, products, 1_000_000);
    await sleep(500);

    const load = await runLoadGenerator({ url: app.base, shop, secret: API_SECRET, orders, products, concurrency, firstOrderId: 7_000_000, mode: 'lifecycle' });
    const expectedStock = products * 1_000_000 - load.distinctLines;

    let ingested = 0;
    let totalStock = 0;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      ingested = await scalar(app.db, 'SELECT count(*) AS value FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
      const pending = await scalar(app.db, "SELECT count(*) AS value FROM ecommerce_webhook_delivery WHERE status = 'received'");
      totalStock = await scalar(app.db, 'SELECT sum(stock) AS value FROM product WHERE id = ANY($1)', [productIds]);
      if (ingested >= load.distinctOrders && pending === 0 && totalStock === expectedStock) break;
      await sleep(20);
    }
    const drainSeconds = (Date.now() - load.lastAckAt) / 1000;
    const failed = await scalar(app.db, "SELECT count(*) AS value FROM ecommerce_webhook_delivery WHERE status = 'failed'");
    return {
      benchmark: 'order-lifecycle',
      cores: cpus().length,
      orders,
      deliveries: load.sent,
      duplicateShare: 0.5,
      concurrency,
      deliveriesPerSecond: round(load.sent / load.seconds, 0),
      ackLatencyMs: { p50: round(percentile(load.latencies, 50), 2), p99: round(percentile(load.latencies, 99), 2) },
      statuses: load.statuses,
      drainSeconds: round(drainSeconds, 2),
      peakRssMb: app.peakRssMb(),
      exactness: { pass: ingested === load.distinctOrders && totalStock === expectedStock && failed === 0, ingestedOrders: ingested, unitsHeld: load.distinctLines, stockShortBy: products * 1_000_000 - totalStock, failedDeliveries: failed },
    };
  } finally {
    await app.stop();
  }
}
