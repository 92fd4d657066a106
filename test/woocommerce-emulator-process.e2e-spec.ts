import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import request from 'supertest';
import { eventually } from './support/eventually.js';
import { freePort } from './support/net.js';
import { bearer, startTestApp, type TestContext } from './support/test-app.js';

/** `npm run emulator:woocommerce` in a process of its own: its printed store connected by hand, an order placed through its control API. */
describe('the WooCommerce emulator as its own process, connected by hand', () => {
  let emulator: ChildProcess;
  let output = '';
  let ctx: TestContext;

  beforeAll(async () => {
    const port = await freePort();
    emulator = spawn(process.execPath, ['dist/test/woocommerce-emulator/main.js'], { env: { ...process.env, WOO_EMULATOR_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    emulator.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    emulator.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(() => expect(output).toContain('WooCommerce emulator listening'), 20_000, 50);
    ctx = await startTestApp();
  });
  afterAll(async () => {
    if (emulator.exitCode === null) {
      emulator.kill('SIGTERM');
      await once(emulator, 'exit');
    }
    await ctx?.close();
  });

  it('connects the store it printed and ingests an order placed through /_control', async () => {
    const { url, stores } = JSON.parse(output.split('\n')[0]) as { url: string; stores: Array<{ storeUrl: string; consumerKey: string; consumerSecret: string }> };
    const http = request(ctx.app.getHttpServer());
    const businessId = (await http.post('/businesses').set(bearer()).send({ name: 'By hand' })).body.id as string;
    const product = (await http.post(`/businesses/${businessId}/products`).set(bearer()).send({ sku: 'HAND-1', name: 'Hand', price: '1.00', stock: 10 })).body.id as string;
    const source = await http.post('/ecommerce/sources/woocommerce').set(bearer()).send({ businessId, ...stores[0] });
    expect(source.status).toBe(201);
    const placed = await fetch(`${url}/_control/stores/demo-store/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ sku: 'HAND-1', quantity: 3 }] }) });
    expect(placed.status).toBe(201);
    await eventually(async () => expect((await http.get(`/businesses/${businessId}/products/${product}`).set(bearer())).body.stock).toBe(7));
    const store = (await (await fetch(`${url}/_control/stores/demo-store`)).json()) as { held: Record<string, number>; webhooks: unknown[] };
    expect(store).toMatchObject({ held: { 'HAND-1': 3 } });
    expect(store.webhooks).toHaveLength(4);
    emulator.kill('SIGTERM');
    const [code] = (await once(emulator, 'exit')) as [number];
    expect(code).toBe(0);
  });
});
