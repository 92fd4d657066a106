import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ShutdownSignal } from '../src/common/lifecycle/shutdown-signal.js';
import type { AppConfig } from '../src/config/app-config.js';
import { ShopifyGraphqlClient } from '../src/ecommerce/shopify/shopify-graphql.client.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { eventually } from './support/eventually.js';
import { freePort } from './support/net.js';
import { bearer, startTestApp, type TestContext } from './support/test-app.js';

/**
 * The README's path: `npm run emulator` in a process of its own, the app pointed at it with the emulator's
 * default credentials, the shop connected by hand through OAuth, then a poll.
 */
describe('the emulator as its own process, connected by hand', () => {
  let emulator: ChildProcess;
  let output = '';
  let ctx: TestContext;
  let port: number;
  const shop = 'by-hand.myshopify.com';

  beforeAll(async () => {
    port = await freePort();
    // As `npm run emulator` starts it (after its build), without any EMULATOR_BUCKET_SIZE or EMULATOR_RESTORE_RATE.
    const env: Record<string, string | undefined> = { ...process.env, EMULATOR_PORT: String(port), EMULATOR_SHOPS: shop };
    for (const name of ['EMULATOR_BUCKET_SIZE', 'EMULATOR_RESTORE_RATE', 'SHOPIFY_API_KEY', 'SHOPIFY_API_SECRET']) delete env[name];
    emulator = spawn(process.execPath, ['dist/test/shopify-emulator/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    emulator.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    emulator.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(() => expect(output).toContain('Shopify emulator listening'), 20_000, 50);
    ctx = await startTestApp({
      SHOPIFY_API_KEY: 'emulator-api-key',
      SHOPIFY_API_SECRET: 'emulator-api-secret',
      SHOPIFY_SHOP_URL_TEMPLATE: `http://127.0.0.1:${port}/{shop}`,
    });
  });
  afterAll(async () => {
    if (emulator.exitCode === null) {
      emulator.kill('SIGTERM');
      await once(emulator, 'exit');
    }
    await ctx?.close();
  });

  it('reports a full cost bucket, connects through OAuth and polls', async () => {
    const view = (await (await fetch(`http://127.0.0.1:${port}/_control/shops/${shop}`)).json()) as { bucket: Record<string, number> };
    expect(view.bucket).toMatchObject({ maximumAvailable: 1000, restoreRate: 100 });

    const http = request(ctx.app.getHttpServer());
    const business = (await http.post('/businesses').set(bearer()).send({ name: 'By hand' })).body.id as string;
    const start = await http.post('/ecommerce/connect').set(bearer()).send({ businessId: business, shop });
    expect(start.status).toBe(201);
    const authorize = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
    const callback = await fetch(authorize.headers.get('location')!);
    expect(callback.status).toBe(200);

    expect((await http.post('/ecommerce/sync/poll').set(bearer()).send({ businessId: business })).status).toBe(202);
    await eventually(async () => {
      const logs = await http.get(`/ecommerce/sync/logs?businessId=${business}&type=poll`).set(bearer());
      expect(logs.body.items[0]?.status).toBe('success');
    });
    const metrics = await http.get('/metrics');
    expect(metrics.text).toMatch(/ecommerce_shopify_cost_bucket_maximum\{shop="by-hand.myshopify.com"\} 1000/);
  });
});

describe('a Shopify answer whose cost report is incomplete', () => {
  it('still answers the call: a metric that cannot be set never fails it', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { shop: { name: 'x' } }, extensions: { cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: null, currentlyAvailable: null, restoreRate: null } } } }));
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const config = { shopify: { shopUrlTemplate: `http://127.0.0.1:${(server.address() as AddressInfo).port}/{shop}`, apiVersion: '2026-10' } } as AppConfig;
      const client = new ShopifyGraphqlClient(config, new ShutdownSignal(), new MetricsService());
      const session = { shop: 'x.myshopify.com', accessToken: 't' };
      await expect(client.request(session, '{ shop { name } }')).resolves.toEqual({ shop: { name: 'x' } });
      await expect(client.request(session, '{ shop { name } }')).resolves.toEqual({ shop: { name: 'x' } });
      expect(client.maximumAvailable('x.myshopify.com')).toBeNull();
    } finally {
      server.close();
    }
  });
});
