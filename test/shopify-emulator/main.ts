import { ShopifyEmulator } from './emulator.js';

/** `npm run emulator`: a fake Shopify for demos and benchmarks, on EMULATOR_PORT (4010). */
async function main(): Promise<void> {
  const port = Number(process.env.EMULATOR_PORT ?? 4010);
  const apiKey = process.env.SHOPIFY_API_KEY || 'emulator-api-key';
  const apiSecret = process.env.SHOPIFY_API_SECRET || 'emulator-api-secret';
  const emulator = await ShopifyEmulator.start({
    port,
    host: process.env.EMULATOR_HOST ?? '127.0.0.1',
    apiKey,
    apiSecret,
    apiVersion: process.env.SHOPIFY_API_VERSION ?? '2026-10',
    // Only what is set: an explicit `undefined` would override the emulator's defaults in its options spread.
    ...(process.env.EMULATOR_BUCKET_SIZE ? { bucketSize: Number(process.env.EMULATOR_BUCKET_SIZE) } : {}),
    ...(process.env.EMULATOR_RESTORE_RATE ? { restoreRate: Number(process.env.EMULATOR_RESTORE_RATE) } : {}),
  });
  for (const shop of (process.env.EMULATOR_SHOPS ?? 'demo-shop.myshopify.com').split(',').filter(Boolean)) {
    emulator.createShop(shop.trim());
  }
  process.stdout.write(
    `${JSON.stringify({ msg: 'Shopify emulator listening', url: emulator.baseUrl, shopUrlTemplate: emulator.shopUrlTemplate, shops: [...emulator.shops.keys()], apiKey })}\n`,
  );
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
