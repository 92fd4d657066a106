import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StockService, type MovementResult } from '../../pos/stock/stock.service.js';

/**
 * Writes an outbox row for every stock change of a business with an active connection, inside the transaction of
 * the change: a change is never committed without its row, whatever happens to Redis or the process afterwards.
 */
@Injectable()
export class InventoryOutboxHook implements OnModuleInit {
  constructor(private readonly stock: StockService) {}

  onModuleInit(): void {
    this.stock.registerTransactionHook((manager, businessId, applied) => this.write(manager, businessId, applied));
  }

  private async write(manager: EntityManager, businessId: string, applied: MovementResult[]): Promise<void> {
    await manager.query(
      `INSERT INTO ecommerce_inventory_outbox (business_id, product_id)
       SELECT $1, product_id FROM unnest($2::uuid[]) AS product_id
       WHERE EXISTS (SELECT 1 FROM ecommerce_connection WHERE business_id = $1 AND status = 'active')`,
      [businessId, [...new Set(applied.map((r) => r.productId))]],
    );
  }
}
