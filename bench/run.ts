import { erpForwarding } from './erp-forwarding.js';
import { inventoryPush } from './inventory-push.js';
import { orderLifecycle } from './order-lifecycle.js';
import { pollBackfill } from './poll-backfill.js';
import { webhookIngest } from './webhook-ingest.js';

/**
 * `npm run bench [name ...]`: each benchmark starts what it needs, runs, checks its outcome and prints one JSON
 * line. Sizes can be scaled down with BENCH_SCALE (e.g. 0.1) on a slow machine.
 */
const scale = Number(process.env.BENCH_SCALE ?? 1);
const benchmarks: Record<string, () => Promise<unknown>> = {
  'webhook-ingest': () => webhookIngest({ orders: Math.round(10_000 * scale), concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32), rounds: Number(process.env.BENCH_ROUNDS ?? 3) }),
  'poll-backfill': () => pollBackfill({ orders: Math.round(20_000 * scale), standardPlanOrders: Math.round(2_000 * scale) }),
  'order-lifecycle': () => orderLifecycle({ orders: Math.round(10_000 * scale), concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32) }),
  'erp-forwarding': () => erpForwarding({ orders: Math.round(10_000 * scale), concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32) }),
  'inventory-push': () => inventoryPush({ products: Math.round(1000 * scale), changes: Math.round(10_000 * scale), concurrency: 32 }),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(benchmarks);
  let failed = false;
  for (const name of names) {
    const run = benchmarks[name];
    if (!run) {
      process.stderr.write(`Unknown benchmark ${name}; known: ${Object.keys(benchmarks).join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    try {
      process.stdout.write(`${JSON.stringify(await run())}\n`);
    } catch (error) {
      failed = true;
      process.stdout.write(`${JSON.stringify({ benchmark: name, error: error instanceof Error ? error.message : String(error) })}\n`);
    }
  }
  if (failed) process.exitCode = 1;
}

void main();
