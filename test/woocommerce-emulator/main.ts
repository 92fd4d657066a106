import { WooCommerceEmulator } from './emulator.js';

/** `npm run emulator:woocommerce`: a fake WooCommerce for demos, on WOO_EMULATOR_PORT (4020), with one store. */
async function main(): Promise<void> {
  const emulator = await WooCommerceEmulator.start({ port: Number(process.env.WOO_EMULATOR_PORT ?? 4020), host: process.env.EMULATOR_HOST ?? '127.0.0.1' });
  const stores = (process.env.WOO_EMULATOR_STORES ?? 'demo-store').split(',').filter(Boolean);
  const created = stores.map((name) => emulator.createStore(name.trim()));
  process.stdout.write(
    `${JSON.stringify({ msg: 'WooCommerce emulator listening', url: emulator.baseUrl, stores: created.map((s) => ({ storeUrl: s.url, consumerKey: s.consumerKey, consumerSecret: s.consumerSecret })) })}\n`,
  );
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`WooCommerce emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
