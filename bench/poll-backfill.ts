import { cpus } from 'node:os';
import { connectedBusiness, round, scalar, sleep, startBenchApp, type BenchApp } from './support.js';

const PRODUCTS = 100;
/** Shopify's standard plan as its GraphQL Admin API reports it: a 2,000-point bucket restoring 100 points a second. */
const STANDARD_PLAN = { bucketSize: 2000, restoreRate: 100 };

interface PollLog {
  status: string;
  started_at: Date;
  finished_at: Date;
  details: { processed?: number; ingested?: number; failed?: number };
}

/**
 * The shop holds `count` orders of the last day before it is connected; connecting starts the first poll (the
 * look-back), which must bring every one of them in. Returns its figures, checked against the database.
 */
async function backfill(app: BenchApp, shop: string, count: number, plan?: typeof STANDARD_PLAN) {
  const state = app.emulator.createShop(shop, plan);
  const now = Date.now();
  let lines = 0;
  for (let i = 0; i < count; i++) {
    const lineItems = Array.from({ length: 1 + (i % 3) }, (_, j) => ({ sku: `P${(i * 7 + j) % PRODUCTS}`, quantity: 1 }));
    lines += lineItems.length;
    // Spread over the last 20 hours, inside the default 24 h look-back, in creation order as Shopify has them.
    app.emulator.createOrder(shop, { lineItems, at: new Date(now - 20 * 3_600_000 + (i * 20 * 3_600_000) / count).toISOString() });
  }
  const throttledBefore = app.emulator.stats.graphqlThrottled;
  const requestsBefore = app.emulator.stats.graphqlRequests;
  const chargedBefore = state.bucket.charged;
  const { businessId } = await connectedBusiness(app, shop, PRODUCTS, 1_000_000);

  const deadline = Date.now() + 30 * 60_000;
  let log: PollLog | undefined;
  while (!log) {
    if (Date.now() > deadline) throw new Error(`the backfill of ${shop} did not finish`);
    await sleep(200);
    log = (await app.db.query<PollLog>("SELECT status, started_at, finished_at, details FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'poll'", [businessId])).rows[0];
  }
  const seconds = (log.finished_at.getTime() - log.started_at.getTime()) / 1000;
  const ingested = await scalar(app.db, 'SELECT count(*) AS value FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
  const decrements = await scalar(app.db, "SELECT count(*) AS value FROM stock_movement WHERE business_id = $1 AND reason = 'online_order'", [businessId]);
  const stockSold = PRODUCTS * 1_000_000 - (await scalar(app.db, 'SELECT sum(stock) AS value FROM product WHERE business_id = $1', [businessId]));
  const charged = state.bucket.charged - chargedBefore;
  return {
    orders: count,
    seconds: round(seconds, 1),
    ordersPerSecond: round(count / seconds, 0),
    shopifyRequests: app.emulator.stats.graphqlRequests - requestsBefore,
    throttledAnswers: app.emulator.stats.graphqlThrottled - throttledBefore,
    pointsCharged: Math.round(charged),
    ...(plan
      ? {
          plan,
          // What the run spent beyond the full bucket it started with, against what the restore rate gave meanwhile.
          restoreRateShareUsed: round(Math.max(0, charged - plan.bucketSize) / (plan.restoreRate * seconds), 2),
        }
      : {}),
    exactness: { pass: log.status === 'success' && ingested === count && decrements === lines && stockSold === lines, pollStatus: log.status, ingested, decrements, lines },
  };
}

/**
 * `poll-backfill`: one poll ingesting the orders a shop already holds. Unthrottled, it measures the ingestion
 * rate; on the standard plan's bucket, how much of the restore rate the client turns into work and whether it
 * ever runs into THROTTLED.
 */
export async function pollBackfill({ orders, standardPlanOrders }: { orders: number; standardPlanOrders: number }) {
  const app = await startBenchApp({ emulator: { bucketSize: 1_000_000_000, restoreRate: 1_000_000_000 } });
  try {
    const unthrottled = await backfill(app, 'bench-backfill.myshopify.com', orders);
    const standardPlan = await backfill(app, 'bench-standard-plan.myshopify.com', standardPlanOrders, STANDARD_PLAN);
    return {
      benchmark: 'poll-backfill',
      cores: cpus().length,
      unthrottled,
      standardPlan,
      peakRssMb: app.peakRssMb(),
      exactness: { pass: unthrottled.exactness.pass && standardPlan.exactness.pass },
      targets: { restoreRateShareUsed: 0.8, throttledAnswers: 0 },
    };
  } finally {
    await app.stop();
  }
}
