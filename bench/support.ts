import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { ShopifyEmulator, type EmulatorOptions } from '../test/shopify-emulator/emulator.js';
import { callApi } from '../test/support/admin-api.js';
import { freePort } from '../test/support/net.js';
import { deleteRedisKeys } from '../test/support/redis-keys.js';

export const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const API_KEY = 'bench-api-key';
export const API_SECRET = 'bench-api-secret-0123456789';


export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BenchApp {
  base: string;
  db: pg.Client;
  emulator: ShopifyEmulator;
  child: ChildProcess;
  /** Peak resident memory of the app process so far (VmHWM), in MB. */
  peakRssMb(): number;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** A fresh database, the built app in its own process (ROLE=all) and an emulator, as a user would run them. */
export async function startBenchApp(options: { emulator?: Partial<EmulatorOptions>; env?: Record<string, string> } = {}): Promise<BenchApp> {
  const database = `pos_bench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${database}`;

  const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET, ...options.emulator });
  const port = await freePort();
  const prefix = `bench-${database}`;
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ADMIN_TOKEN,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_SHOP_URL_TEMPLATE: emulator.shopUrlTemplate,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300 || child.exitCode !== null) throw new Error('The app did not start');
    await sleep(100);
  }
  const db = new pg.Client({ connectionString: databaseUrl.toString() });
  await db.connect();

  const api = <T>(method: string, path: string, body?: unknown) => callApi<T>(base, ADMIN_TOKEN, method, path, body);

  return {
    base,
    db,
    emulator,
    child,
    api,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await Promise.race([once(child, 'exit'), sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.end();
      await emulator.stop();
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await cleanup.end();
      await deleteRedisKeys(REDIS_URL, prefix);
    },
  };
}

/** Creates a business with `products` products (sku P0..Pn) and connects a fresh emulator shop through OAuth. */
export async function connectedBusiness(app: BenchApp, shop: string, products: number, stock: number) {
  app.emulator.createShop(shop);
  const business = await app.api<{ id: string }>('POST', '/businesses', { name: 'Bench' });
  const ids: string[] = [];
  for (let i = 0; i < products; i++) {
    const product = await app.api<{ id: string }>('POST', `/businesses/${business.id}/products`, { sku: `P${i}`, name: `Product ${i}`, price: '9.99', stock });
    ids.push(product.id);
  }
  const start = await app.api<{ authorizeUrl: string }>('POST', '/ecommerce/connect', { businessId: business.id, shop });
  const authorize = await fetch(start.authorizeUrl, { redirect: 'manual' });
  const callback = await fetch(authorize.headers.get('location')!);
  if (callback.status !== 200) throw new Error(`connect failed: ${await callback.text()}`);
  return { businessId: business.id, productIds: ids };
}

/** The single number a `SELECT count(*)` or `sum(...)` answers. */
export async function scalar(db: pg.Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ value: string | null }>(sql, params);
  return Number(rows[0]?.value ?? 0);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface LoadResult {
  sent: number;
  seconds: number;
  statuses: Record<string, number>;
  latencies: number[];
  distinctOrders: number;
  distinctLines: number;
  lastAckAt: number;
}

/** Runs the signed-webhook load generator in its own process (its work must not count against the app) and reads its result. */
export async function runLoadGenerator(config: Record<string, unknown>): Promise<LoadResult> {
  const child = spawn(process.execPath, ['dist/bench/load-generator.js'], {
    env: { ...process.env, BENCH_LOAD: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  return JSON.parse(output) as LoadResult;
}
