import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '../connection/access-token.service.js';
import { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { ProductMappingRepository } from '../catalog-sync/product-mapping.repository.js';
import { ConnectionLocationService } from '../connection/connection-location.service.js';
import { MAX_QUANTITIES_PER_CALL, ShopifyInventoryClient } from '../shopify/shopify-inventory.client.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { InventoryPushService } from './inventory-push.service.js';

export interface ReconcileSummary {
  checked: number;
  drifted: number;
}

/**
 * The safety net of the inventory push: first drains any outbox rows whose job was lost, then compares every mapped
 * item's level in Shopify with the POS stock and sets the ones that drifted, logging what it found.
 */
@Injectable()
export class InventoryReconciliationService {
  private readonly logger = new Logger('InventoryReconciliation');

  constructor(
    private readonly locations: ConnectionLocationService,
    private readonly mappings: ProductMappingRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccessTokenService,
    private readonly inventory: ShopifyInventoryClient,
    private readonly push: InventoryPushService,
    private readonly syncLog: SyncLogService,
  ) {}

  async reconcileAll(): Promise<void> {
    const connections = await this.dataSource.getRepository(EcommerceConnection).findBy({ status: 'active' });
    for (const connection of connections) {
      try {
        await this.reconcile(connection.businessId);
      } catch (error) {
        this.logger.warn({ businessId: connection.businessId, err: error }, 'Reconciliation of one business failed; going on with the others');
      }
    }
  }

  async reconcile(businessId: string): Promise<ReconcileSummary> {
    await this.push.run(businessId);
    const connection = await this.dataSource.getRepository(EcommerceConnection).findOneBy({ businessId, status: 'active' });
    if (!connection) return { checked: 0, drifted: 0 };
    const startedAt = new Date();
    const summary: ReconcileSummary = { checked: 0, drifted: 0 };
    const drift: Array<{ productId: string; pos: number; shopify: number }> = [];
    try {
      const session = await this.tokens.session(connection.id);
      const locationId = await this.locations.locationFor(connection, session);
      let afterId = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const rows = await this.mappings.mappedWithStock(connection.id, afterId, MAX_QUANTITIES_PER_CALL);
        if (rows.length === 0) break;
        afterId = rows[rows.length - 1].product_id;
        const levels = await this.inventory.available(session, locationId, rows.map((r) => r.item));
        summary.checked += rows.length;
        const differing = rows.filter((r) => levels.get(r.item) !== r.stock);
        if (differing.length === 0) continue;
        await this.inventory.setAvailable(session, locationId, differing.map((r) => ({ inventoryItemId: r.item, quantity: r.stock })), `pos://businesses/${businessId}/reconciliation`);
        summary.drifted += differing.length;
        for (const r of differing) if (drift.length < 100) drift.push({ productId: r.product_id, pos: r.stock, shopify: levels.get(r.item) ?? 0 });
      }
    } catch (error) {
      await this.syncLog.record({
        businessId,
        connectionId: connection.id,
        type: 'inventory_push',
        direction: 'outbound',
        status: 'failed',
        processed: summary.checked,
        message: `Inventory reconciliation with ${connection.shopDomain} failed after checking ${summary.checked} items: ${(error as Error).message}`,
        details: { ...summary, drift, reconciliation: true },
        startedAt,
      });
      throw error;
    }
    await this.syncLog.record({
      businessId,
      connectionId: connection.id,
      type: 'inventory_push',
      direction: 'outbound',
      status: 'success',
      processed: summary.checked,
      message:
        summary.drifted === 0
          ? `Inventory reconciliation with ${connection.shopDomain}: ${summary.checked} items checked, none drifted`
          : `Inventory reconciliation with ${connection.shopDomain}: ${summary.drifted} of ${summary.checked} items had drifted in Shopify and were set back to the POS stock`,
      details: { ...summary, drift, reconciliation: true },
      startedAt,
    });
    return summary;
  }
}
