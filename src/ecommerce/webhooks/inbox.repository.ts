import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export interface OrderDeliveryView {
  id: string;
  topic: string;
  webhookId: string;
  sourceId: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

/**
 * The inbox table (`ecommerce_webhook_delivery`) as other modules may use it: the webhooks module owns the table,
 * and what ingestion, the order timeline, the status view and retention need of it goes through here.
 */
@Injectable()
export class InboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Marks deliveries processed inside the caller's (the ingestion's) transaction. A commit that a Postgres crash
   * loses takes the mark with it: the delivery is still `received` and the sweeper processes it again. So this
   * commit need not wait for the disk (synchronous_commit off, for this transaction only), which halves the
   * flushes per webhook; the acknowledged delivery itself was stored durably before the 200.
   */
  async markProcessed(manager: EntityManager, deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await manager.query(
      `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
       UPDATE ecommerce_webhook_delivery SET status = 'processed', attempts = attempts + 1, processed_at = now(), last_error = NULL
       FROM relaxed WHERE id = ANY($1::uuid[])`,
      [deliveryIds],
    );
  }

  /**
   * The deliveries that carried an order: Shopify's by the order's gid (versions) or `order_id` (refunds, edit
   * notices); other sources' by their key, which begins with the order id.
   */
  forOrder(connectionId: string, externalOrderId: string): Promise<OrderDeliveryView[]> {
    return this.dataSource.query(
      `SELECT id, topic, webhook_id AS "webhookId", connection_id AS "sourceId", status, attempts, last_error AS "lastError", received_at AS "receivedAt", processed_at AS "processedAt"
       FROM ecommerce_webhook_delivery
       WHERE connection_id = $1
         AND ((topic LIKE 'orders/%' AND payload LIKE $2) OR (topic IN ('refunds/create', 'orders/edited') AND payload ~ $3)
              OR (topic LIKE 'source/%' AND starts_with(webhook_id, $4)))
       ORDER BY received_at`,
      [connectionId, `%gid://shopify/Order/${externalOrderId}"%`, `"order_id":\\s*${externalOrderId}[,}]`, `${externalOrderId}|`],
    );
  }

  /** A delivery of a non-Shopify source: one insert, a duplicate of a stored one is a no-op (null). */
  async storeSourceDelivery(row: { sourceId: string; businessId: string; webhookId: string; topic: string; payload: string }): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO ecommerce_webhook_delivery (shop_domain, webhook_id, topic, business_id, connection_id, payload, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'received')
       ON CONFLICT (shop_domain, webhook_id) DO NOTHING RETURNING id`,
      [`source:${row.sourceId}`, row.webhookId, row.topic, row.businessId, row.sourceId, row.payload],
    );
    return rows[0]?.id ?? null;
  }

  /** Deliveries received per hour since `since` (hours with none are left out). */
  perHour(businessId: string, since: Date): Promise<Array<{ hour: Date; count: number }>> {
    return this.dataSource.query(
      `SELECT date_trunc('hour', received_at) AS hour, count(*)::int AS count FROM ecommerce_webhook_delivery
       WHERE business_id = $1 AND received_at >= $2 GROUP BY 1 ORDER BY 1`,
      [businessId, since],
    );
  }

  async countsByStatusSince(businessId: string, hours: number): Promise<Array<{ status: string; count: number }>> {
    return this.dataSource.query(
      `SELECT status, count(*)::int AS count FROM ecommerce_webhook_delivery
       WHERE business_id = $1 AND received_at > now() - make_interval(hours => $2) GROUP BY status`,
      [businessId, hours],
    );
  }

  /** The business's most recently processed delivery, if any. */
  async latestProcessed(businessId: string): Promise<{ id: string; topic: string; receivedAt: Date; processedAt: Date } | null> {
    const [row] = await this.dataSource.query<Array<{ id: string; topic: string; receivedAt: Date; processedAt: Date }>>(
      `SELECT id, topic, received_at AS "receivedAt", processed_at AS "processedAt" FROM ecommerce_webhook_delivery
       WHERE business_id = $1 AND status = 'processed' AND received_at > now() - interval '7 days'
       ORDER BY received_at DESC LIMIT 1`,
      [businessId],
    );
    return row ?? null;
  }

  async stuckCount(businessId: string, olderThanMs: number): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM ecommerce_webhook_delivery
       WHERE status = 'received' AND received_at < now() - make_interval(secs => $2) AND business_id = $1`,
      [businessId, olderThanMs / 1000],
    );
    return row?.count ?? 0;
  }

  /**
   * Retention: one batch of deliveries older than `before` that nobody needs any more (processed, skipped, or
   * failed without a business, which nobody can replay), picked with SKIP LOCKED. Returns how many went.
   */
  async deleteExpiredBatch(before: Date, limit: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM ecommerce_webhook_delivery WHERE id IN (
         SELECT id FROM ecommerce_webhook_delivery
         WHERE (status IN ('processed', 'skipped') OR (status = 'failed' AND business_id IS NULL)) AND received_at < $1
         ORDER BY status, received_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [before, limit],
    );
    return deleted;
  }
}
