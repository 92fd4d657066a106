import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { AccessTokenService } from '../connection/access-token.service.js';
import { ProductMappingRepository } from '../catalog-sync/product-mapping.repository.js';
import { ConnectionLocationService } from '../connection/connection-location.service.js';
import { MAX_QUANTITIES_PER_CALL, ShopifyInventoryClient } from '../shopify/shopify-inventory.client.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { withAdvisoryLock } from '../../database/advisory-lock.js';

export interface PushSummary {
  pushed: number;
  skipped: number;
  calls: number;
}

interface PendingItem {
  product_id: string;
  stock: number;
  inventory_item_id: string | null;
  /** The outbox rows this push answers for: exactly those read, never a row committed meanwhile. */
  outbox_ids: string[];
}

const MAX_ROWS_PER_RUN = 50_000;

/**
 * Drains a business's outbox: the latest POS stock of each changed product, as absolute quantities, batched 250 to
 * a call. Rows are marked pushed only after Shopify accepted their batch; a failure leaves them for the retry.
 */
@Injectable()
export class InventoryPushService {
  constructor(
    private readonly locations: ConnectionLocationService,
    private readonly mappings: ProductMappingRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccessTokenService,
    private readonly inventory: ShopifyInventoryClient,
    private readonly syncLog: SyncLogService,
  ) {}

  /** Pushes for one business at a time: a second job waits for the first, then finds little or nothing left. */
  run(businessId: string): Promise<PushSummary> {
    return withAdvisoryLock(this.dataSource, `inventory:${businessId}`, () => this.push(businessId));
  }

  private async push(businessId: string): Promise<PushSummary> {
    const summary: PushSummary = { pushed: 0, skipped: 0, calls: 0 };
    const connection = await this.dataSource.getRepository(EcommerceConnection).findOneBy({ businessId, status: 'active' });
    if (!connection) return summary;
    const startedAt = new Date();
    // Stock is read after the outbox rows, so each pushed quantity is at least as new as the changes it answers for.
    const pending: Array<Omit<PendingItem, 'inventory_item_id'>> = await this.dataSource.query(
      `WITH pending AS (
         SELECT id, product_id FROM ecommerce_inventory_outbox
         WHERE business_id = $1 AND pushed_at IS NULL ORDER BY id LIMIT $2
       )
       SELECT pending.product_id, array_agg(pending.id::text) AS outbox_ids, p.stock
       FROM pending JOIN product p ON p.id = pending.product_id
       GROUP BY pending.product_id, p.stock`,
      [businessId, MAX_ROWS_PER_RUN],
    );
    if (pending.length === 0) return summary;
    const itemOf = await this.mappings.inventoryItems(connection.id, pending.map((p) => p.product_id));
    const items: PendingItem[] = pending.map((p) => ({ ...p, inventory_item_id: itemOf.get(p.product_id) ?? null }));
    const mapped = items.filter((i) => i.inventory_item_id !== null);
    const unmapped = items.filter((i) => i.inventory_item_id === null);
    try {
      // Nothing mapped, nothing to send: no token refresh, no location lookup, no cost points spent.
      if (mapped.length > 0) {
        const session = await this.tokens.session(connection.id);
        const locationId = await this.locations.locationFor(connection, session);
        for (let start = 0; start < mapped.length; start += MAX_QUANTITIES_PER_CALL) {
          const batch = mapped.slice(start, start + MAX_QUANTITIES_PER_CALL);
          await this.inventory.setAvailable(
            session,
            locationId,
            batch.map((i) => ({ inventoryItemId: i.inventory_item_id!, quantity: i.stock })),
            `pos://businesses/${businessId}/inventory`,
          );
          summary.calls++;
          summary.pushed += batch.length;
          await this.markPushed(batch);
        }
      }
    } catch (error) {
      await this.syncLog.record({
        businessId,
        connectionId: connection.id,
        type: 'inventory_push',
        direction: 'outbound',
        status: 'failed',
        processed: summary.pushed,
        failed: mapped.length - summary.pushed,
        message: `Inventory push to ${connection.shopDomain} failed after ${summary.pushed} of ${mapped.length} items: ${(error as Error).message}. The changes stay queued and are retried.`,
        details: { ...summary, error: (error as Error).message },
        startedAt,
      });
      throw error;
    }
    summary.skipped = unmapped.length;
    await this.markPushed(unmapped);
    await this.syncLog.record({
      businessId,
      connectionId: connection.id,
      type: 'inventory_push',
      direction: 'outbound',
      status: 'success',
      processed: summary.pushed,
      message: `Pushed ${summary.pushed} inventory levels to ${connection.shopDomain} in ${summary.calls} call(s); ${summary.skipped} changed product(s) have no Shopify mapping and were skipped`,
      details: { ...summary },
      startedAt,
    });
    return summary;
  }

  private async markPushed(items: PendingItem[]): Promise<void> {
    const ids = items.flatMap((i) => i.outbox_ids);
    if (ids.length === 0) return;
    await this.dataSource.query('UPDATE ecommerce_inventory_outbox SET pushed_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  }
}
