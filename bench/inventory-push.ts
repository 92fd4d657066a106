import { cpus } from 'node:os';
import { connectedBusiness, round, scalar, sleep, startBenchApp } from './support.js';

/** 10,000 stock changes over 1,000 mapped products: seconds until Shopify (the emulator) matches the POS, and calls made. */
export async function inventoryPush({ products, changes, concurrency }: { products: number; changes: number; concurrency: number }) {
  const app = await startBenchApp({ emulator: { bucketSize: 1_000_000_000, restoreRate: 1_000_000_000 } });
  try {
    const shop = 'bench-inventory.myshopify.com';
    const { businessId, productIds } = await connectedBusiness(app, shop, products, 100_000);
    await app.api('POST', '/ecommerce/sync/products', { businessId });
    const deadline = Date.now() + 300_000;
    while ((await scalar(app.db, "SELECT count(*) AS value FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'product_sync'", [businessId])) === 0) {
      if (Date.now() > deadline) throw new Error('the catalog push did not finish');
      await sleep(200);
    }
    await sleep(1500);
    const callsBefore = app.emulator.stats.mutations.inventorySetQuantities ?? 0;
    const requestsBefore = app.emulator.stats.graphqlRequests;

    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < changes) {
          const i = next++;
          await app.api('POST', `/businesses/${businessId}/products/${productIds[(i * 7) % products]}/stock-adjustments`, { delta: i % 2 ? -1 : 2, reason: 'bench' });
        }
      }),
    );
    const changesDone = Date.now();

    const shopLevels = () => new Map(app.emulator.products(shop).map((p) => [p.variants[0].sku, p.variants[0].available]));
    let converged = false;
    while (Date.now() < changesDone + 120_000) {
      const { rows } = await app.db.query<{ sku: string; stock: number }>('SELECT sku, stock FROM product WHERE business_id = $1', [businessId]);
      const levels = shopLevels();
      if (rows.every((r) => levels.get(r.sku) === r.stock)) {
        converged = true;
        break;
      }
      await sleep(50);
    }
    const convergedAt = Date.now();
    const calls = (app.emulator.stats.mutations.inventorySetQuantities ?? 0) - callsBefore;
    return {
      benchmark: 'inventory-push',
      cores: cpus().length,
      products,
      changes,
      changesPerSecond: round(changes / ((changesDone - started) / 1000), 0),
      secondsToConvergence: round((convergedAt - started) / 1000, 2),
      secondsAfterLastChange: round((convergedAt - changesDone) / 1000, 2),
      inventorySetQuantitiesCalls: calls,
      shopifyRequests: app.emulator.stats.graphqlRequests - requestsBefore,
      exactness: { pass: converged },
      targets: { secondsToConvergence: 10, callsPerFlush: 'at most one per 250 items changed' },
    };
  } finally {
    await app.stop();
  }
}
