import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MetricsService } from '../../metrics/metrics.service.js';
import { StockService, type MovementRequest, type MovementResult } from '../../pos/stock/stock.service.js';
import type { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import type { NormalizedOrder } from '../shopify/order-mapper.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import type { IngestedLine } from './ingested-order.entity.js';
import { linesWithProducts, markDeliveriesProcessed, newOrderLogEntry, orderRef, OrderIngestionService, type IngestResult } from './order-ingestion.service.js';

export interface BatchEntry {
  connection: EcommerceConnection;
  order: NormalizedOrder;
  deliveryId: string;
  /** Added to the order's sync log details (the queue job that carried it). */
  logDetails?: Record<string, unknown>;
}

/** Settled in the batch, or to be handled one by one by OrderIngestionService once the batch has committed. */
export type BatchResult = IngestResult | 'single';

const key = (connectionId: string, externalId: string) => `${connectionId}\n${externalId}`;

/**
 * Webhook orders ingested many per transaction: one statement each to match lines, insert the orders (the same
 * `ON CONFLICT DO NOTHING` gate), apply stock, write outbox rows and sync logs and mark the deliveries, instead of
 * all of them per order. It settles what is simple: new orders, redeliveries of known orders and stale copies. A
 * cancellation of a known order, and any order twice in one batch after the first, goes back to the one-order
 * path ('single'), which locks and restocks. If the batch fails as a whole, the caller retries its entries one by
 * one, so one bad delivery cannot hold up the others.
 */
@Injectable()
export class BatchIngestionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockService,
    private readonly syncLog: SyncLogService,
    private readonly metrics: MetricsService,
    private readonly single: OrderIngestionService,
  ) {}

  async ingest(entries: BatchEntry[]): Promise<BatchResult[]> {
    const applied: MovementResult[] = [];
    const results = await this.dataSource.transaction(async (manager) => {
      const lines = await this.matchLines(manager, entries);
      const inserted = await this.insertIfNew(manager, entries, lines);
      const results: BatchResult[] = entries.map((entry) => {
        const orderId = inserted.get(entry);
        return orderId ? { outcome: entry.order.cancelledAt ? 'cancelled' : 'ingested', orderId } : 'single';
      });
      await this.settleKnown(manager, entries, results);

      const fresh = entries.map((entry, i) => ({ entry, i })).filter(({ entry }) => inserted.has(entry));
      const movements = fresh.flatMap(({ entry, i }) =>
        lines[i]
          .filter((line) => line.decremented)
          .map((line): MovementRequest & { businessId: string } => ({
            businessId: entry.connection.businessId,
            productId: line.productId!,
            delta: -line.quantity,
            reason: 'online_order',
            reference: orderRef(entry.order.externalId, line.externalLineId),
          })),
      );
      applied.push(...(await this.stock.applyBatch(manager, movements)));
      await this.syncLog.recordMany(
        fresh.map(({ entry, i }) => {
          const log = newOrderLogEntry(entry.connection, entry.order, lines[i], inserted.get(entry)!, { source: 'webhook', deliveryId: entry.deliveryId }, lines[i].filter((l) => l.decremented).length);
          return { ...log, details: { ...entry.logDetails, ...log.details } };
        }),
        manager,
      );
      const settled = entries.filter((_, i) => results[i] !== 'single').map((entry) => entry.deliveryId);
      if (settled.length > 0) await markDeliveriesProcessed(manager, settled);
      if (this.single.beforeCommit) for (const entry of entries) await this.single.beforeCommit(entry.order);
      return results;
    });
    this.stock.emitChanges(applied);
    for (const result of results) if (result !== 'single') this.metrics.ordersIngested.inc({ source: 'webhook', result: result.outcome });
    return results;
  }

  /** Every line of every order with its POS product: by variant mapping first, then by SKU in the business. */
  private async matchLines(manager: EntityManager, entries: BatchEntry[]): Promise<IngestedLine[][]> {
    const flat = entries.flatMap((entry, e) => entry.order.lines.map((line, l) => ({ e, position: l + 1, line, connection: entry.connection })));
    const rows: Array<{ e: number; position: number; product_id: string | null }> =
      flat.length === 0
        ? []
        : await manager.query(
            `SELECT l.e::int AS e, l.position::int AS position, COALESCE(m.product_id, p.id) AS product_id
             FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::uuid[], $6::uuid[]) AS l(e, position, variant_id, sku, connection_id, business_id)
             LEFT JOIN ecommerce_product_mapping m ON m.connection_id = l.connection_id AND m.shopify_variant_id = l.variant_id
             LEFT JOIN product p ON p.business_id = l.business_id AND p.sku = l.sku`,
            [
              flat.map((f) => f.e),
              flat.map((f) => f.position),
              flat.map((f) => f.line.variantId),
              flat.map((f) => f.line.sku),
              flat.map((f) => f.connection.id),
              flat.map((f) => f.connection.businessId),
            ],
          );
    const found = new Map(rows.map((row) => [`${row.e}:${row.position}`, row.product_id]));
    return entries.map((entry, e) => linesWithProducts(entry.order, (position) => found.get(`${e}:${position}`) ?? null));
  }

  /**
   * One multi-row insert, in (connection, order) order so that two batches wait on each other's keys in the same
   * order and never deadlock. Returns the entries whose order is new, with its id.
   */
  private async insertIfNew(manager: EntityManager, entries: BatchEntry[], lines: IngestedLine[][]): Promise<Map<BatchEntry, string>> {
    const sorted = entries.map((entry, i) => ({ entry, lines: lines[i] })).sort((a, b) => {
      const left = key(a.entry.connection.id, a.entry.order.externalId);
      const right = key(b.entry.connection.id, b.entry.order.externalId);
      return left < right ? -1 : left > right ? 1 : 0;
    });
    const rows: Array<{ id: string; connection_id: string; external_order_id: string }> = await manager.query(
      `INSERT INTO ecommerce_ingested_order
         (connection_id, business_id, external_order_id, order_number, source, status, lines, external_updated_at, cancelled_at)
       SELECT connection_id, business_id, external_order_id, order_number, 'webhook', status, lines, external_updated_at, cancelled_at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[], $8::timestamptz[]) WITH ORDINALITY
         AS o(connection_id, business_id, external_order_id, order_number, status, lines, external_updated_at, cancelled_at, n)
       ORDER BY n
       ON CONFLICT (connection_id, external_order_id) DO NOTHING
       RETURNING id, connection_id, external_order_id`,
      [
        sorted.map((s) => s.entry.connection.id),
        sorted.map((s) => s.entry.connection.businessId),
        sorted.map((s) => s.entry.order.externalId),
        sorted.map((s) => s.entry.order.name),
        sorted.map((s) => (s.entry.order.cancelledAt ? 'cancelled' : 'ingested')),
        sorted.map((s) => JSON.stringify(s.lines)),
        sorted.map((s) => s.entry.order.updatedAt),
        sorted.map((s) => s.entry.order.cancelledAt),
      ],
    );
    const ids = new Map(rows.map((row) => [key(row.connection_id, row.external_order_id), row.id]));
    const inserted = new Map<BatchEntry, string>();
    for (const { entry } of sorted) {
      const k = key(entry.connection.id, entry.order.externalId);
      const id = ids.get(k);
      // The same order twice in one batch: the first copy is the new order, the others are seen as known.
      if (id) {
        inserted.set(entry, id);
        ids.delete(k);
      }
    }
    return inserted;
  }

  /**
   * Entries whose order was already known: a copy no newer than what is stored, or a non-cancelling update, changes
   * nothing but the newest `updated_at`; a cancellation is left to the one-order path.
   */
  private async settleKnown(manager: EntityManager, entries: BatchEntry[], results: BatchResult[]): Promise<void> {
    const known = entries.map((entry, i) => ({ entry, i })).filter(({ i }) => results[i] === 'single');
    if (known.length === 0) return;
    const rows: Array<{ id: string; connection_id: string; external_order_id: string; status: string; external_updated_at: Date }> = await manager.query(
      `SELECT o.id, o.connection_id, o.external_order_id, o.status, o.external_updated_at
       FROM unnest($1::uuid[], $2::text[]) AS k(connection_id, external_order_id)
       JOIN ecommerce_ingested_order o ON o.connection_id = k.connection_id AND o.external_order_id = k.external_order_id`,
      [known.map(({ entry }) => entry.connection.id), known.map(({ entry }) => entry.order.externalId)],
    );
    const stored = new Map(rows.map((row) => [key(row.connection_id, row.external_order_id), row]));
    const newer: Array<{ id: string; at: Date }> = [];
    for (const { entry, i } of known) {
      const row = stored.get(key(entry.connection.id, entry.order.externalId));
      if (!row) continue;
      if (entry.order.updatedAt.getTime() < row.external_updated_at.getTime()) {
        results[i] = { outcome: 'stale', orderId: row.id };
      } else if (!entry.order.cancelledAt || row.status === 'cancelled') {
        results[i] = { outcome: 'duplicate', orderId: row.id };
        if (entry.order.updatedAt > row.external_updated_at) newer.push({ id: row.id, at: entry.order.updatedAt });
      }
    }
    if (newer.length > 0) {
      // GREATEST, not a plain set: a concurrent cancellation may have stored a later time meanwhile.
      await manager.query(
        `UPDATE ecommerce_ingested_order o SET external_updated_at = GREATEST(o.external_updated_at, n.at)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS n(id, at) WHERE o.id = n.id`,
        [newer.map((n) => n.id), newer.map((n) => n.at)],
      );
    }
  }
}
