import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ShutdownSignal } from '../../common/lifecycle/shutdown-signal.js';
import { Product } from '../../pos/products/product.entity.js';
import { AccessTokenService } from '../connection/access-token.service.js';
import { ConnectionService } from '../connection/connection.service.js';
import { ConnectionLocationService } from '../connection/connection-location.service.js';
import { ShopifyCatalogClient, type ShopifyVariantRef } from '../shopify/shopify-catalog.client.js';
import { runStatus, SyncLogService } from '../sync-log/sync-log.service.js';
import { ProductMapping } from './product-mapping.entity.js';
import { withAdvisoryLock } from '../../database/advisory-lock.js';

const PAGE_SIZE = 100;
const MAX_FAILURES_LOGGED = 100;

export interface ProductPushSummary {
  processed: number;
  created: number;
  adopted: number;
  updated: number;
  failed: number;
}

/**
 * Pushes the POS catalog to Shopify, a page of 100 products at a time: a product already mapped is updated in
 * place, one whose SKU exists in the shop is adopted, any other is created; each gets its inventory at the shop's
 * location and a mapping. One product failing never stops the rest; running it again creates nothing twice.
 */
@Injectable()
export class ProductPushService {
  private readonly logger = new Logger('ProductPush');

  constructor(
    private readonly locations: ConnectionLocationService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionService,
    private readonly tokens: AccessTokenService,
    private readonly catalog: ShopifyCatalogClient,
    private readonly syncLog: SyncLogService,
    private readonly shutdown: ShutdownSignal,
  ) {}

  /** Two pushes for one business run one after the other: the second waits on this advisory lock. */
  run(businessId: string, onProgress: (summary: ProductPushSummary) => Promise<void> = () => Promise.resolve()): Promise<ProductPushSummary> {
    return withAdvisoryLock(this.dataSource, `catalog:${businessId}`, () => this.push(businessId, onProgress));
  }

  private async push(businessId: string, onProgress: (summary: ProductPushSummary) => Promise<void>): Promise<ProductPushSummary> {
    const startedAt = new Date();
    const summary: ProductPushSummary = { processed: 0, created: 0, adopted: 0, updated: 0, failed: 0 };
    const failures: Array<{ productId: string; sku: string; message: string }> = [];
    let abort: string | null = null;
    const connection = await this.connections.requireActive(businessId);
    try {
      const session = await this.tokens.session(connection.id);
      const locationId = await this.locations.locationFor(connection, session);
      const products = this.dataSource.getRepository(Product);
      const mappings = this.dataSource.getRepository(ProductMapping);
      let afterId: string | null = null;
      for (;;) {
        this.shutdown.throwIfShuttingDown();
        const query = products.createQueryBuilder('p').where('p.businessId = :businessId', { businessId }).orderBy('p.id', 'ASC').take(PAGE_SIZE);
        if (afterId) query.andWhere('p.id > :afterId', { afterId });
        const page = await query.getMany();
        if (page.length === 0) break;
        afterId = page[page.length - 1].id;

        const mapped = new Map((await mappings.findBy(page.map((p) => ({ connectionId: connection.id, productId: p.id })))).map((m) => [m.productId, m]));
        const unmapped = page.filter((p) => !mapped.has(p.id));
        const inShop = await this.catalog.variantsBySku(session, unmapped.map((p) => p.sku));

        for (const product of page) {
          summary.processed++;
          const mapping = mapped.get(product.id);
          const existing: ShopifyVariantRef | null = mapping
            ? { productId: mapping.shopifyProductId, variantId: mapping.shopifyVariantId, inventoryItemId: mapping.shopifyInventoryItemId ?? '', sku: product.sku }
            : (inShop.get(product.sku) ?? null);
          try {
            const result = await this.catalog.setProduct(session, locationId, { title: product.name, sku: product.sku, price: product.price, available: product.stock }, existing);
            if (!result.ok) throw new Error(result.message);
            await mappings.upsert(
              {
                businessId,
                connectionId: connection.id,
                productId: product.id,
                shopifyProductId: result.variant.productId,
                shopifyVariantId: result.variant.variantId,
                shopifyInventoryItemId: result.variant.inventoryItemId,
              },
              { conflictPaths: ['connectionId', 'productId'] },
            );
            if (mapping) summary.updated++;
            else if (existing) summary.adopted++;
            else summary.created++;
          } catch (error) {
            summary.failed++;
            if (failures.length < MAX_FAILURES_LOGGED) failures.push({ productId: product.id, sku: product.sku, message: (error as Error).message });
          }
        }
        // A page done: whoever follows the job (GET /ecommerce/jobs/:id) sees the counts so far.
        await Promise.resolve()
          .then(() => onProgress({ ...summary }))
          .catch(() => undefined);
      }
    } catch (error) {
      abort = (error as Error).message;
    }

    const status = runStatus(abort !== null, summary.processed, summary.failed);
    const counts = `${summary.processed} products: ${summary.created} created, ${summary.adopted} adopted by SKU, ${summary.updated} updated, ${summary.failed} failed`;
    await this.syncLog.record({
      businessId,
      connectionId: connection.id,
      type: 'product_sync',
      direction: 'outbound',
      status,
      processed: summary.processed,
      failed: summary.failed,
      message: abort
        ? `Product push to ${connection.shopDomain} stopped (${abort}) after ${counts}; run it again once Shopify is reachable`
        : `Product push to ${connection.shopDomain}: ${counts}` + (failures.length ? `; first failure: ${failures[0].sku}: ${failures[0].message}` : ''),
      details: { ...summary, failures, error: abort },
      startedAt,
      finishedAt: new Date(),
    });
    this.logger.log({ businessId, ...summary }, 'Product push finished');
    return summary;
  }
}
