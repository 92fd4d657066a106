import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { ADMIN_URL, API_SECRET, connectedBusiness, percentile, round, runLoadGenerator, scalar, sleep, startBenchApp, type LoadResult } from './support.js';

export interface WebhookIngestOptions {
  orders: number;
  concurrency: number;
  rounds: number;
}

interface Baseline {
  base: string;
  db: pg.Client;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The bare receiver (bench/bare-receiver.ts) in its own process, on a database of its own. */
async function startBaseline(): Promise<Baseline> {
  const database = `pos_bench_bare_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const child = spawn(process.execPath, ['dist/bench/bare-receiver.js'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', BARE_DATABASE_URL: url.toString(), BARE_SECRET: API_SECRET, BARE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const { port } = JSON.parse(chunk.toString()) as { port: number };
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    child,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await Promise.race([once(child, 'exit'), sleep(5_000)]);
      await db.end();
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const stats = (load: LoadResult) => ({ deliveriesPerSecond: load.sent / load.seconds, p50: percentile(load.latencies, 50), p99: percentile(load.latencies, 99) });

/**
 * Signed deliveries, half of them duplicates, against the real app and against the bare receiver every tutorial
 * shows (the baseline), in alternating rounds with the same signed requests; after each of our rounds, waits until
 * every order is ingested and checks exactness.
 */
export async function webhookIngest({ orders, concurrency, rounds }: WebhookIngestOptions) {
  const app = await startBenchApp({ env: process.env.BENCH_ROLE ? { ROLE: process.env.BENCH_ROLE } : {} });
  const baseline = await startBaseline();
  try {
    const shop = 'bench-webhooks.myshopify.com';
    const products = 100;
    const { businessId, productIds } = await connectedBusiness(app, shop, products, 1_000_000);
    await sleep(500);

    const ours: Array<ReturnType<typeof stats>> = [];
    const bare: Array<ReturnType<typeof stats>> = [];
    const drains: number[] = [];
    const statuses: Record<string, number> = {};
    let distinctOrders = 0;
    let distinctLines = 0;
    for (let round = 0; round < rounds; round++) {
      // The same requests for both: the same seed and order ids; the baseline starts each round with an empty table.
      const config = { shop, secret: API_SECRET, orders, products, concurrency, firstOrderId: 5_000_000 + round * orders, seed: round + 1 };
      const runOurs = async () => {
        const load = await runLoadGenerator({ ...config, url: app.base });
        for (const [status, n] of Object.entries(load.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
        distinctOrders += load.distinctOrders;
        distinctLines += load.distinctLines;
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline) {
          const ingested = await scalar(app.db, 'SELECT count(*) AS value FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
          const pending = await scalar(app.db, "SELECT count(*) AS value FROM ecommerce_webhook_delivery WHERE status = 'received'");
          if (ingested >= distinctOrders && pending === 0) break;
          await sleep(20);
        }
        drains.push((Date.now() - load.lastAckAt) / 1000);
        ours.push(stats(load));
      };
      const runBare = async () => {
        await baseline.db.query('TRUNCATE bare_delivery').catch(() => undefined);
        bare.push(stats(await runLoadGenerator({ ...config, url: baseline.base })));
      };
      // Alternate which goes first, so that neither always meets a warmer (or more tired) machine.
      if (round % 2 === 0) {
        await runOurs();
        await runBare();
      } else {
        await runBare();
        await runOurs();
      }
    }

    const ingested = await scalar(app.db, 'SELECT count(*) AS value FROM ecommerce_ingested_order WHERE business_id = $1', [businessId]);
    const decrements = await scalar(app.db, "SELECT count(*) AS value FROM stock_movement WHERE business_id = $1 AND reason = 'online_order'", [businessId]);
    const totalStock = await scalar(app.db, 'SELECT sum(stock) AS value FROM product WHERE id = ANY($1)', [productIds]);
    const exact = ingested === distinctOrders && decrements === distinctLines && totalStock === products * 1_000_000 - distinctLines;
    const summary = (runs: Array<ReturnType<typeof stats>>) => ({
      deliveriesPerSecond: round(median(runs.map((r) => r.deliveriesPerSecond)), 0),
      ackLatencyMs: { p50: round(median(runs.map((r) => r.p50)), 2), p99: round(median(runs.map((r) => r.p99)), 2) },
    });
    const mine = summary(ours);
    const theirs = summary(bare);
    const ratio = round(mine.deliveriesPerSecond / theirs.deliveriesPerSecond, 2);
    const p99Ratio = round(mine.ackLatencyMs.p99 / theirs.ackLatencyMs.p99, 2);
    const drainSeconds = round(Math.max(...drains), 2);
    const peakRssMb = app.peakRssMb();
    return {
      benchmark: 'webhook-ingest',
      cores: cpus().length,
      role: process.env.BENCH_ROLE ?? 'all',
      rounds,
      deliveriesPerRound: orders * 2,
      duplicateShare: 0.5,
      concurrency,
      ours: { ...mine, statuses, drainSeconds, peakRssMb },
      baseline: { ...theirs, peakRssMb: vmHwm(baseline.child.pid) },
      ratio: { deliveriesPerSecond: ratio, p99: p99Ratio },
      exactness: { pass: exact, distinctOrders, ingestedOrders: ingested, distinctLines, stockDecrements: decrements },
      targets: {
        ratio: { want: '>= 1.1', pass: ratio >= 1.1 },
        p99Ratio: { want: '<= 1.2', pass: p99Ratio <= 1.2 },
        drainSeconds: { want: '<= 2', pass: drainSeconds <= 2 },
        peakRssMb: { want: '< 300', pass: peakRssMb < 300 },
      },
    };
  } finally {
    await baseline.stop();
    await app.stop();
  }
}

function vmHwm(pid: number | undefined): number {
  try {
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}
