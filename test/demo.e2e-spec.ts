import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from './support/net.js';
import { databaseUrl } from './support/test-env.js';
import { deleteRedisKeys, dropTestDatabase, REDIS_URL } from './support/test-app.js';

/** `npm run demo --exit` on the built code: the newcomer's tour runs end to end and says what happened. */
describe('npm run demo', () => {
  const name = `pos_test_demo_${randomBytes(4).toString('hex')}`;
  const prefix = `test-${name}`;
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  beforeAll(async () => {
    await admin.connect();
    // Someone else's data next to the demo's: a run must not touch it.
    await admin.query(`CREATE DATABASE "${name}_demo"`);
    const redis = new Redis(REDIS_URL);
    await redis.set(`${prefix}:someone-elses-key`, 'keep');
    redis.disconnect();
  });
  afterAll(async () => {
    await dropTestDatabase(`${name}_demo`);
    await deleteRedisKeys(prefix);
    await admin.end();
  });

  it('connects, pushes the catalog, ingests orders once, recovers the lost one by poll, and exits 0', async () => {
    const child = spawn(process.execPath, ['dist/scripts/demo.js', '--exit'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl(name),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        PORT: String(await freePort()),
        EMULATOR_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    if (code !== 0) process.stderr.write(output);
    expect(code).toBe(0);
    expect(output).toMatch(/connected: \{"businessId":"[0-9a-f-]{36}","shop":"demo-shop.myshopify.com","status":"active"\}/);
    expect(output).toMatch(/product_sync: success/);
    expect(output).toMatch(/ingested 3 orders, each once/);
    expect(output).toMatch(/#1004 ingested via poll/);
    expect(output).toMatch(/from WooCommerce: #\d+ via (webhook|poll): 2 x MUG-BLU/);
    expect(output).toMatch(/an article the POS does not sell: 422 No POS product has the article number\(s\) TEA-GRN/);
    expect(output).toMatch(/from Apicbase: answered 200; PO-0002: 1 x CUP-TRV/);
    expect(output).toMatch(/6 signed posts, 6 verified by the ERP; each order once/);
    expect(output).toMatch(/#1004 -> ERP-\d+/);
    expect(output).toMatch(/request done after 1 attempt\(s\); the shop's order #1001 now has a fulfillment: DHL Express JD014600006281230704/);
    expect(output).toMatch(/BEAN-ETH\s+40 -> 33/);
    expect(output).toMatch(/MUG-BLU\s+20 -> 17/);
    expect(output).toMatch(/CUP-TRV\s+12 -> 8/);
    expect(output).toMatch(/sync status: healthy/);
    expect(output).toMatch(/Demo complete/);
    // The run removed its own database and keys, and nothing else.
    const left = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname', [`${name}_demo%`]);
    expect(left.rows.map((r) => r.datname)).toEqual([`${name}_demo`]);
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.keys(`${prefix}-*`)).toEqual([]);
      expect(await redis.get(`${prefix}:someone-elses-key`)).toBe('keep');
    } finally {
      redis.disconnect();
    }
  });
});
