import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MetricsService } from '../../metrics/metrics.service.js';
import { StockService, type MovementRequest, type MovementResult } from '../../pos/stock/stock.service.js';
import type { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import type { NormalizedLine, NormalizedOrder } from '../shopify/order-mapper.js';
import { SyncLogService, type SyncLogEntry } from '../sync-log/sync-log.service.js';
import { IngestedOrder, type IngestedLine, type OrderSource } from './ingested-order.entity.js';

export type IngestOutcome = 'ingested' | 'duplicate' | 'cancelled' | 'stale';

export interface IngestResult {
  outcome: IngestOutcome;
  orderId: string;
}

export interface IngestContext {
  source: OrderSource;
  deliveryId?: string;
  pollRunId?: string;
  /** Mark the delivery processed in the ingestion's own transaction (the webhook path). */
  markDeliveryProcessed?: boolean;
}

/** Test seam: runs inside the ingestion transaction, just before commit (a crash there must roll back all). */
export type BeforeCommitHook = (order: NormalizedOrder) => Promise<void> | void;

export const orderRef = (order: string, line: string) => `order:${order}:${line}`;
const cancelRef = (order: string, line: string) => `cancel:${order}:${line}`;

/**
 * Marks deliveries processed inside the ingestion's transaction. A commit that a Postgres crash loses takes the
 * mark with it: the delivery is still `received` and the sweeper processes it again. So this commit need not wait
 * for the disk (synchronous_commit off, for this transaction only), which halves the flushes per webhook; the
 * acknowledged delivery itself was stored durably before the 200.
 */
export async function markDeliveriesProcessed(manager: EntityManager, deliveryIds: string[]): Promise<void> {
  await manager.query(
    `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
     UPDATE ecommerce_webhook_delivery SET status = 'processed', attempts = attempts + 1, processed_at = now(), last_error = NULL
     FROM relaxed WHERE id = ANY($1::uuid[])`,
    [deliveryIds],
  );
}

/** The sync log entry of a newly ingested order. */
export function newOrderLogEntry(connection: EcommerceConnection, order: NormalizedOrder, lines: IngestedLine[], orderId: string, context: IngestContext, decrements: number): SyncLogEntry {
  const unmatched = lines.filter((line) => line.productId === null);
  const verb = order.cancelledAt === null ? `stock decremented for ${decrements} line(s)` : 'already cancelled, stock untouched';
  return {
    businessId: connection.businessId,
    connectionId: connection.id,
    type: 'order',
    direction: 'inbound',
    status: unmatched.length > 0 ? 'partial' : 'success',
    processed: lines.length - unmatched.length,
    failed: unmatched.length,
    message:
      `Order ${order.name} ingested from ${context.source}: ${verb}` +
      (unmatched.length > 0 ? `; ${unmatched.length} line(s) match no POS product (${unmatched.map((l) => l.sku ?? `variant ${l.variantId ?? '?'}`).join(', ')})` : ''),
    details: { orderId, externalOrderId: order.externalId, deliveryId: context.deliveryId ?? null, pollRunId: context.pollRunId ?? null, unmatched },
  };
}

/** Each line of an order with the POS product it matched (or null) and whether its decrement applies. */
export function linesWithProducts(order: NormalizedOrder, productIdAt: (position: number) => string | null): IngestedLine[] {
  const decrement = order.cancelledAt === null;
  return order.lines.map((line: NormalizedLine, index) => {
    const productId = productIdAt(index + 1);
    return { ...line, productId, decremented: decrement && productId !== null && line.quantity > 0 };
  });
}

/**
 * The one path by which an order enters the POS, for webhooks and polls alike. Everything happens in one
 * transaction: the insert-if-new that makes an order exist once, the stock movements (each with a reference
 * unique per product, so even a retry after a crash cannot apply one twice), and the sync log entry.
 */
@Injectable()
export class OrderIngestionService {
  private readonly logger = new Logger('OrderIngestion');
  beforeCommit: BeforeCommitHook | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockService,
    private readonly syncLog: SyncLogService,
    private readonly metrics: MetricsService,
  ) {}

  async ingest(connection: EcommerceConnection, order: NormalizedOrder, context: IngestContext): Promise<IngestResult> {
    const applied: MovementResult[] = [];
    const markDelivery = context.markDeliveryProcessed === true && context.deliveryId !== undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      const lines = await this.matchLines(manager, connection, order);
      const orderId = await this.insertIfNew(manager, connection, order, lines, context);
      const outcome = orderId
        ? await this.ingestNew(manager, connection, orderId, order, lines, context, applied)
        : await this.applyUpdate(manager, connection, order, context, applied);
      if (markDelivery) await markDeliveriesProcessed(manager, [context.deliveryId!]);
      if (this.beforeCommit) await this.beforeCommit(order);
      return outcome;
    });
    this.stock.emitChanges(applied);
    this.metrics.ordersIngested.inc({ source: context.source, result: result.outcome });
    return result;
  }

  private async insertIfNew(
    manager: EntityManager,
    connection: EcommerceConnection,
    order: NormalizedOrder,
    lines: IngestedLine[],
    context: IngestContext,
  ): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO ecommerce_ingested_order
         (connection_id, business_id, external_order_id, order_number, source, status, lines, external_updated_at, cancelled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (connection_id, external_order_id) DO NOTHING
       RETURNING id`,
      [
        connection.id,
        connection.businessId,
        order.externalId,
        order.name,
        context.source,
        order.cancelledAt ? 'cancelled' : 'ingested',
        JSON.stringify(lines),
        order.updatedAt,
        order.cancelledAt,
      ],
    );
    return rows[0]?.id ?? null;
  }

  private async ingestNew(
    manager: EntityManager,
    connection: EcommerceConnection,
    orderId: string,
    order: NormalizedOrder,
    lines: IngestedLine[],
    context: IngestContext,
    applied: MovementResult[],
  ): Promise<IngestResult> {
    const decrement = order.cancelledAt === null;
    const movements: MovementRequest[] = lines
      .filter((line) => line.decremented)
      .map((line) => ({ productId: line.productId!, delta: -line.quantity, reason: 'online_order', reference: orderRef(order.externalId, line.externalLineId) }));
    applied.push(...(await this.stock.applyBatch(manager, movements.map((m) => ({ ...m, businessId: connection.businessId })))));

    await this.syncLog.record(newOrderLogEntry(connection, order, lines, orderId, context, movements.length), manager);
    return { outcome: decrement ? 'ingested' : 'cancelled', orderId };
  }

  /** A later version of an order we hold: only a cancellation changes anything, and only once. */
  private async applyUpdate(
    manager: EntityManager,
    connection: EcommerceConnection,
    order: NormalizedOrder,
    context: IngestContext,
    applied: MovementResult[],
  ): Promise<IngestResult> {
    // Plain SQL: a redelivered order is as common as a new one, so this path is as hot as the insert.
    const [existing] = await manager.query<Array<Pick<IngestedOrder, 'id' | 'status' | 'lines' | 'externalUpdatedAt'>>>(
      `SELECT id, status, lines, external_updated_at AS "externalUpdatedAt" FROM ecommerce_ingested_order
       WHERE connection_id = $1 AND external_order_id = $2 FOR UPDATE`,
      [connection.id, order.externalId],
    );
    if (!existing) throw new Error(`Order ${order.externalId} vanished during ingestion`);
    if (order.updatedAt.getTime() < existing.externalUpdatedAt.getTime()) return { outcome: 'stale', orderId: existing.id };
    if (!order.cancelledAt || existing.status === 'cancelled') {
      if (order.updatedAt > existing.externalUpdatedAt) {
        await manager.query('UPDATE ecommerce_ingested_order SET external_updated_at = $2 WHERE id = $1', [existing.id, order.updatedAt]);
      }
      return { outcome: 'duplicate', orderId: existing.id };
    }
    const restock: MovementRequest[] = existing.lines
      .filter((line) => line.decremented && line.productId)
      .map((line) => ({ productId: line.productId!, delta: line.quantity, reason: 'online_order_cancelled', reference: cancelRef(order.externalId, line.externalLineId) }));
    applied.push(...(await this.stock.applyBatch(manager, restock.map((m) => ({ ...m, businessId: connection.businessId })))));
    await manager.update(IngestedOrder, existing.id, { status: 'cancelled', cancelledAt: order.cancelledAt, externalUpdatedAt: order.updatedAt, updatedAt: new Date() });
    await this.syncLog.record(
      {
        businessId: connection.businessId,
        connectionId: connection.id,
        type: 'order',
        direction: 'inbound',
        status: 'success',
        processed: restock.length,
        message: `Order ${order.name} cancelled (seen by ${context.source}): restocked ${restock.length} line(s)`,
        details: { orderId: existing.id, externalOrderId: order.externalId, deliveryId: context.deliveryId ?? null, pollRunId: context.pollRunId ?? null },
      },
      manager,
    );
    this.logger.log({ businessId: connection.businessId, orderId: existing.id }, `Order ${order.name} cancelled`);
    return { outcome: 'cancelled', orderId: existing.id };
  }

  /**
   * Each line's POS product: through the product mapping (variant id) first, then by SKU within the business.
   * A line of an order first seen already cancelled (the cancel overtook the create) is never decremented.
   */
  private async matchLines(manager: EntityManager, connection: EcommerceConnection, order: NormalizedOrder): Promise<IngestedLine[]> {
    if (order.lines.length === 0) return [];
    const rows: Array<{ position: number; product_id: string | null }> = await manager.query(
      `SELECT l.position::int AS position, COALESCE(m.product_id, p.id) AS product_id
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS l(variant_id, sku, position)
       LEFT JOIN ecommerce_product_mapping m ON m.connection_id = $3 AND m.shopify_variant_id = l.variant_id
       LEFT JOIN product p ON p.business_id = $4 AND p.sku = l.sku`,
      [order.lines.map((l) => l.variantId), order.lines.map((l) => l.sku), connection.id, connection.businessId],
    );
    const byPosition = new Map(rows.map((row) => [row.position, row.product_id]));
    return linesWithProducts(order, (position) => byPosition.get(position) ?? null);
  }
}
