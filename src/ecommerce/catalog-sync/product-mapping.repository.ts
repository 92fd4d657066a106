import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export interface LineToMatch {
  key: string;
  connectionId: string;
  businessId: string;
  variantId: string | null;
  sku: string | null;
}

/**
 * The product mappings (`ecommerce_product_mapping`), owned by catalog sync, as other modules may read them:
 * order lines matched to POS products, and the Shopify inventory items of POS products.
 */
@Injectable()
export class ProductMappingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Each line's POS product, in one statement: the variant's mapping first, then the SKU within the business. */
  async matchProducts(manager: EntityManager, lines: LineToMatch[]): Promise<Map<string, string | null>> {
    if (lines.length === 0) return new Map();
    const rows: Array<{ key: string; product_id: string | null }> = await manager.query(
      `SELECT l.key, COALESCE(m.product_id, p.id) AS product_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[]) AS l(key, variant_id, sku, connection_id, business_id)
       LEFT JOIN ecommerce_product_mapping m ON m.connection_id = l.connection_id AND m.shopify_variant_id = l.variant_id
       LEFT JOIN product p ON p.business_id = l.business_id AND p.sku = l.sku`,
      [lines.map((l) => l.key), lines.map((l) => l.variantId), lines.map((l) => l.sku), lines.map((l) => l.connectionId), lines.map((l) => l.businessId)],
    );
    return new Map(rows.map((row) => [row.key, row.product_id]));
  }

  /** The Shopify inventory item of each mapped product of a connection. */
  async inventoryItems(connectionId: string, productIds: string[]): Promise<Map<string, string>> {
    if (productIds.length === 0) return new Map();
    const rows: Array<{ product_id: string; item: string }> = await this.dataSource.query(
      `SELECT product_id, shopify_inventory_item_id AS item FROM ecommerce_product_mapping
       WHERE connection_id = $1 AND product_id = ANY($2::uuid[]) AND shopify_inventory_item_id IS NOT NULL`,
      [connectionId, productIds],
    );
    return new Map(rows.map((row) => [row.product_id, row.item]));
  }

  /** A page of a connection's mapped products (by product id) with their inventory item and POS stock, for reconciliation. */
  mappedWithStock(connectionId: string, afterProductId: string, limit: number): Promise<Array<{ product_id: string; item: string; stock: number }>> {
    return this.dataSource.query(
      `SELECT m.product_id, m.shopify_inventory_item_id AS item, p.stock
       FROM ecommerce_product_mapping m JOIN product p ON p.id = m.product_id
       WHERE m.connection_id = $1 AND m.shopify_inventory_item_id IS NOT NULL AND m.product_id > $2
       ORDER BY m.product_id LIMIT $3`,
      [connectionId, afterProductId, limit],
    );
  }
}
