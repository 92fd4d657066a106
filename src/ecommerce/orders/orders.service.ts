import { DomainError } from '../../common/errors/domain-error.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { newestFirst, toPage } from '../../common/paging/cursor.js';
import type { Page } from '../../common/paging/page-query.dto.js';
import { IngestedOrder } from './ingested-order.entity.js';

export interface OrderView {
  id: string;
  externalOrderId: string;
  orderNumber: string;
  source: IngestedOrder['source'];
  status: IngestedOrder['status'];
  ingestedAt: Date;
  lines: Array<{ sku: string | null; productId: string | null; quantity: number; currentQuantity: number }>;
}

export const orderView = (order: IngestedOrder): OrderView => ({
  id: order.id,
  externalOrderId: order.externalOrderId,
  orderNumber: order.orderNumber,
  source: order.source,
  status: order.status,
  ingestedAt: order.ingestedAt,
  lines: order.lines.map(({ sku, productId, quantity, currentQuantity }) => ({ sku, productId, quantity, currentQuantity })),
});

@Injectable()
export class OrdersService {
  constructor(@InjectRepository(IngestedOrder) private readonly orders: Repository<IngestedOrder>) {}

  /** The order's timeline for support: lines and their products, stock movements, and the deliveries and polls that saw it. */
  async detail(id: string) {
    const order = await this.orders.findOneBy({ id });
    if (!order) throw new DomainError('not_found', `Order ${id} not found`);
    const ext = order.externalOrderId;
    const manager = this.orders.manager;
    const productIds = order.lines.map((l) => l.productId).filter((p): p is string => p !== null);
    const products: Array<{ id: string; sku: string; name: string }> = productIds.length
      ? await manager.query('SELECT id, sku, name FROM product WHERE id = ANY($1::uuid[])', [productIds])
      : [];
    const byId = new Map(products.map((p) => [p.id, p]));
    const movements: unknown[] = await manager.query(
      `SELECT product_id AS "productId", delta, reason, reference, stock_after AS "stockAfter", created_at AS "createdAt"
       FROM stock_movement WHERE business_id = $1 AND (reference LIKE $2 OR reference LIKE $3 OR reference LIKE $4) ORDER BY created_at, reference`,
      // References before the order lifecycle had no connection in them; both kinds belong to this order.
      [order.businessId, `order:${order.connectionId}:${ext}:%`, `order:${ext}:%`, `cancel:${ext}:%`],
    );
    const deliveries: unknown[] = await manager.query(
      `SELECT id, topic, webhook_id AS "webhookId", status, attempts, last_error AS "lastError", received_at AS "receivedAt", processed_at AS "processedAt"
       FROM ecommerce_webhook_delivery
       WHERE connection_id = $1
         AND ((topic LIKE 'orders/%' AND payload LIKE $2) OR (topic IN ('refunds/create', 'orders/edited') AND payload ~ $3))
       ORDER BY received_at`,
      [order.connectionId, `%gid://shopify/Order/${ext}"%`, `"order_id":\\s*${ext}[,}]`],
    );
    const logs: Array<{ id: string; status: string; message: string; startedAt: Date; pollRunId: string | null }> = await manager.query(
      `SELECT id, status, message, started_at AS "startedAt", details->>'pollRunId' AS "pollRunId"
       FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'order' AND details->>'externalOrderId' = $2 ORDER BY started_at`,
      [order.businessId, ext],
    );
    const pollRunIds = logs.map((l) => l.pollRunId).filter((p): p is string => p !== null);
    const polls: unknown[] = pollRunIds.length
      ? await manager.query(
          `SELECT id, status, message, started_at AS "startedAt" FROM ecommerce_sync_log
           WHERE business_id = $1 AND type = 'poll' AND details->>'pollRunId' = ANY($2) ORDER BY started_at`,
          [order.businessId, pollRunIds],
        )
      : [];
    return {
      ...orderView(order),
      cancelledAt: order.cancelledAt,
      /** The newest version seen, by the source's clock (never later than when it reached us). */
      updatedAt: order.externalUpdatedAt,
      refunds: order.refunds,
      lines: order.lines.map((line) => ({
        sku: line.sku,
        variantId: line.variantId,
        quantity: line.quantity,
        productId: line.productId,
        product: line.productId ? (byId.get(line.productId) ?? null) : null,
        currentQuantity: line.currentQuantity,
        held: line.held,
      })),
      stockMovements: movements,
      deliveries,
      polls,
      logs: logs.map(({ pollRunId: _pollRunId, ...log }) => log),
    };
  }

  async list(businessId: string, limit: number, cursor?: string): Promise<Page<OrderView>> {
    const query = this.orders.createQueryBuilder('o').where('o.businessId = :businessId', { businessId });
    newestFirst(query, 'o', 'ingested_at', limit, cursor);
    return toPage(await query.getMany(), limit, (o) => ({ at: o.ingestedAt.toISOString(), id: o.id }), orderView);
  }
}
