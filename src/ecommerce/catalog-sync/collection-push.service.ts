import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Category } from '../../pos/categories/category.entity.js';
import { AccessTokenService } from '../connection/access-token.service.js';
import { ConnectionService } from '../connection/connection.service.js';
import { ShopifyCollectionsClient } from '../shopify/shopify-catalog.client.js';
import { runStatus, SyncLogService } from '../sync-log/sync-log.service.js';
import { CollectionMapping } from './collection-mapping.entity.js';
import { withAdvisoryLock } from '../../database/advisory-lock.js';

export interface CollectionPushSummary {
  processed: number;
  created: number;
  adopted: number;
  failed: number;
  memberships: number;
}

/**
 * Pushes POS categories as Shopify custom collections (created, or adopted by title) and adds each category's
 * mapped products to its collection. Products not pushed yet are left out; run the product push first.
 */
@Injectable()
export class CollectionPushService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionService,
    private readonly tokens: AccessTokenService,
    private readonly collections: ShopifyCollectionsClient,
    private readonly syncLog: SyncLogService,
  ) {}

  /** The same lock as the product push: catalog pushes of one business run one after the other. */
  run(businessId: string): Promise<CollectionPushSummary> {
    return withAdvisoryLock(this.dataSource, `catalog:${businessId}`, () => this.push(businessId));
  }

  private async push(businessId: string): Promise<CollectionPushSummary> {
    const startedAt = new Date();
    const summary: CollectionPushSummary = { processed: 0, created: 0, adopted: 0, failed: 0, memberships: 0 };
    const failures: Array<{ categoryId: string; name: string; message: string }> = [];
    const connection = await this.connections.requireActive(businessId);
    let abort: string | null = null;
    try {
      const session = await this.tokens.session(connection.id);
      const categories = await this.dataSource.getRepository(Category).find({ where: { businessId }, order: { name: 'ASC' } });
      const mappings = this.dataSource.getRepository(CollectionMapping);
      for (const category of categories) {
        summary.processed++;
        try {
          let collectionId = (await mappings.findOneBy({ connectionId: connection.id, categoryId: category.id }))?.shopifyCollectionId ?? null;
          if (!collectionId) {
            collectionId = await this.collections.findByTitle(session, category.name);
            if (collectionId) summary.adopted++;
            else {
              collectionId = await this.collections.create(session, category.name);
              summary.created++;
            }
            await mappings.upsert(
              { businessId, connectionId: connection.id, categoryId: category.id, shopifyCollectionId: collectionId },
              { conflictPaths: ['connectionId', 'categoryId'] },
            );
          }
          const members: Array<{ shopify_product_id: string }> = await this.dataSource.query(
            `SELECT m.shopify_product_id FROM product p
             JOIN ecommerce_product_mapping m ON m.product_id = p.id AND m.connection_id = $2
             WHERE p.category_id = $1`,
            [category.id, connection.id],
          );
          await this.collections.addProducts(session, collectionId, members.map((m) => m.shopify_product_id));
          summary.memberships += members.length;
        } catch (error) {
          summary.failed++;
          failures.push({ categoryId: category.id, name: category.name, message: (error as Error).message });
        }
      }
    } catch (error) {
      abort = (error as Error).message;
    }
    const status = runStatus(abort !== null, summary.processed, summary.failed);
    const counts = `${summary.processed} categories: ${summary.created} created, ${summary.adopted} adopted by title, ${summary.failed} failed; ${summary.memberships} product memberships`;
    await this.syncLog.record({
      businessId,
      connectionId: connection.id,
      type: 'collection_sync',
      direction: 'outbound',
      status,
      processed: summary.processed,
      failed: summary.failed,
      message: abort ? `Collection push to ${connection.shopDomain} stopped (${abort}) after ${counts}` : `Collection push to ${connection.shopDomain}: ${counts}`,
      details: { ...summary, failures, error: abort },
      startedAt,
      finishedAt: new Date(),
    });
    return summary;
  }
}
