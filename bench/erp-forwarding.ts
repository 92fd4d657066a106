import { cpus } from 'node:os';
import { FakeErp } from '../test/support/fake-erp.js';
import { API_SECRET, connectedBusiness, round, runLoadGenerator, scalar, sleep, startBenchApp } from './support.js';

export interface ErpForwardingOptions {
  orders: number;
  concurrency: number;
}

/**
 * Orders arrive as signed webhooks (half of them duplicated) and each is forwarded to a fast fake ERP. Measures how
 * many sends a second go through and how long after its ingestion each order reached the ERP, and checks that
 * each message succeeded exactly once.
 */
export async function erpForwarding({ orders, concurrency }: ErpForwardingOptions) {
  const erp = await FakeErp.start();
  const app = await startBenchApp();
  try {
    const shop = 'bench-forwarding.myshopify.com';
    const products = 100;
    const { businessId } = await connectedBusiness(app, shop, products, 1_000_000);
    const destination = await app.api<{ id: string; signingSecret: string }>('POST', '/ecommerce/forwarding/destinations', { businessId, name: 'Bench ERP', url: erp.url, erpOrderIdPath: 'object.order_id' });
    erp.secret = destination.signingSecret;
    await sleep(500);

    const load = await runLoadGenerator({ url: app.base, shop, secret: API_SECRET, orders, products, concurrency, firstOrderId: 7_000_000 });
    const deadline = Date.now() + 300_000;
    let delivered = 0;
    while (Date.now() < deadline) {
      delivered = await scalar(app.db, "SELECT count(*) AS value FROM ecommerce_forwarding_message WHERE status = 'in_progress'");
      if (delivered >= load.distinctOrders) break;
      await sleep(50);
    }
    const { rows } = await app.db.query<{ p50: number; p99: number; max: number; seconds: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99, max(d) AS max,
              extract(epoch FROM max(delivered_at) - min(ingested_at)) AS seconds
       FROM (SELECT m.delivered_at, o.ingested_at, extract(epoch FROM m.delivered_at - o.ingested_at) * 1000 AS d
             FROM ecommerce_forwarding_message m JOIN ecommerce_ingested_order o ON o.id = m.order_id WHERE m.status = 'in_progress') AS x`,
    );
    const messages = await scalar(app.db, 'SELECT count(*) AS value FROM ecommerce_forwarding_message');
    const successes = new Map<string, number>();
    for (const request of erp.received) if (request.answered === 200) successes.set(request.headers['webhook-id'], (successes.get(request.headers['webhook-id']) ?? 0) + 1);
    const exact = messages === load.distinctOrders && delivered === load.distinctOrders && successes.size === load.distinctOrders && [...successes.values()].every((n) => n === 1) && erp.received.every((r) => r.verified);
    const stats = rows[0];
    return {
      benchmark: 'erp-forwarding',
      cores: cpus().length,
      orders: load.distinctOrders,
      deliveries: load.sent,
      sendsPerSecond: round(delivered / Number(stats.seconds), 0),
      deliveryDelayAfterIngestionMs: { p50: round(Number(stats.p50), 1), p99: round(Number(stats.p99), 1), max: round(Number(stats.max), 1) },
      erpRequests: erp.received.length,
      peakRssMb: app.peakRssMb(),
      exactness: { pass: exact, messages, delivered, distinctOrders: load.distinctOrders, messagesWithOneSuccess: [...successes.values()].filter((n) => n === 1).length },
    };
  } finally {
    await app.stop();
    await erp.stop();
  }
}
