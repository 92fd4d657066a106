import request from 'supertest';
import { ShopifyEmulator } from '../shopify-emulator/emulator.js';
import { bearer, startTestApp, type TestContext } from './test-app.js';

export const API_KEY = 'test-api-key';
export const API_SECRET = 'test-api-secret-0123456789';

export interface ShopifyTestContext extends TestContext {
  emulator: ShopifyEmulator;
  http: ReturnType<typeof request>;
}

/** The app pointed at a fresh emulator, as SHOPIFY_SHOP_URL_TEMPLATE lets users and demos do. */
export async function startAppWithEmulator(overrides: Record<string, string> = {}): Promise<ShopifyTestContext> {
  const emulator = await ShopifyEmulator.start({ apiKey: API_KEY, apiSecret: API_SECRET });
  emulator.setWebhookBehaviour({ retryScheduleMs: [100, 200, 400, 800] });
  const ctx = await startTestApp({
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_SHOP_URL_TEMPLATE: emulator.shopUrlTemplate,
    ...overrides,
  });
  return {
    ...ctx,
    emulator,
    http: request(ctx.app.getHttpServer()),
    async close() {
      await emulator.stop();
      await ctx.close();
    },
  };
}

export async function createBusiness(ctx: ShopifyTestContext, name = 'Shop business'): Promise<string> {
  const res = await ctx.http.post('/businesses').set(bearer()).send({ name });
  return res.body.id as string;
}

/** Runs the merchant's side of OAuth: connect, follow the authorize redirect, land on our callback. */
export async function connectShop(ctx: ShopifyTestContext, businessId: string, shop: string) {
  const start = await ctx.http.post('/ecommerce/connect').set(bearer()).send({ businessId, shop });
  if (start.status !== 201) throw new Error(`connect answered ${start.status}: ${JSON.stringify(start.body)}`);
  const authorize = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
  const callbackUrl = new URL(authorize.headers.get('location')!);
  const callback = await fetch(callbackUrl);
  return { callbackUrl, status: callback.status, body: (await callback.json()) as Record<string, unknown> };
}
