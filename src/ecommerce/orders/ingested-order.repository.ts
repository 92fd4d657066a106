import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrderState, StoredLine, StoredRefund } from './holdings.js';
import type { FulfillmentStatus, OrderTotals } from './order.js';
import type { OrderSource } from './ingested-order.entity.js';

export interface NewOrderRow {
  connectionId: string;
  businessId: string;
  /** shopify, woocommerce or signed_webhook: which kind of source the order came from. */
  provider: string;
  externalOrderId: string;
  source: OrderSource;
  state: OrderState;
}

export interface StoredOrderRow {
  id: string;
  connectionId: string;
  externalOrderId: string;
  state: OrderState;
}

/**
 * `ecommerce_ingested_order`, written only here. The statements are multi-row (one per batch, not per order)
 * because ingestion runs thousands of times a second under load; rows go in and are locked in (connection, order)
 * order, so two batches wait on each other's keys in the same order and never deadlock.
 */
@Injectable()
export class IngestedOrderRepository {
  /** The exactly-once gate: `ON CONFLICT DO NOTHING`. Returns the rows that were new, with their ids. */
  async insertIfNew(manager: EntityManager, orders: NewOrderRow[]): Promise<Array<{ id: string; connectionId: string; externalOrderId: string }>> {
    if (orders.length === 0) return [];
    const sorted = [...orders].sort((a, b) => compareKeys(a, b));
    const rows: Array<{ id: string; connection_id: string; external_order_id: string }> = await manager.query(
      `INSERT INTO ecommerce_ingested_order
         (connection_id, business_id, external_order_id, order_number, source, status, lines, refunds, external_updated_at, cancelled_at, customer_email, provider, totals, financial_status, fulfillment_status)
       SELECT connection_id, business_id, external_order_id, order_number, source, status, lines, refunds, external_updated_at, cancelled_at, customer_email, provider, totals, financial_status, fulfillment_status
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::jsonb[], $14::text[], $15::text[]) WITH ORDINALITY
         AS o(connection_id, business_id, external_order_id, order_number, source, status, lines, refunds, external_updated_at, cancelled_at, customer_email, provider, totals, financial_status, fulfillment_status, n)
       ORDER BY n
       ON CONFLICT (connection_id, external_order_id) DO NOTHING
       RETURNING id, connection_id, external_order_id`,
      [
        sorted.map((o) => o.connectionId),
        sorted.map((o) => o.businessId),
        sorted.map((o) => o.externalOrderId),
        sorted.map((o) => o.state.name),
        sorted.map((o) => o.source),
        sorted.map((o) => statusOf(o.state)),
        sorted.map((o) => JSON.stringify(o.state.lines)),
        sorted.map((o) => JSON.stringify(o.state.refunds)),
        sorted.map((o) => o.state.updatedAt),
        sorted.map((o) => o.state.cancelledAt),
        sorted.map((o) => o.state.customerEmail),
        sorted.map((o) => o.provider),
        sorted.map((o) => (o.state.totals ? JSON.stringify(o.state.totals) : null)),
        sorted.map((o) => o.state.financialStatus),
        sorted.map((o) => o.state.fulfillmentStatus),
      ],
    );
    return rows.map((row) => ({ id: row.id, connectionId: row.connection_id, externalOrderId: row.external_order_id }));
  }

  /** Known orders, locked FOR UPDATE until the caller's transaction ends. */
  async lockForUpdate(manager: EntityManager, keys: Array<{ connectionId: string; externalOrderId: string }>): Promise<StoredOrderRow[]> {
    if (keys.length === 0) return [];
    const rows: OrderRow[] = await manager.query(
      `SELECT ${STATE_COLUMNS}
       FROM ecommerce_ingested_order o
       JOIN unnest($1::uuid[], $2::text[]) AS k(connection_id, external_order_id) ON o.connection_id = k.connection_id AND o.external_order_id = k.external_order_id
       ORDER BY o.connection_id, o.external_order_id
       FOR UPDATE OF o`,
      [keys.map((k) => k.connectionId), keys.map((k) => k.externalOrderId)],
    );
    return rows.map(storedRow);
  }

  /** One order by our id, with its state; `lock` holds its row until the caller's transaction ends. */
  async findState(manager: EntityManager, id: string, lock = false): Promise<(StoredOrderRow & { businessId: string; provider: string }) | null> {
    const rows: OrderRow[] = await manager.query(`SELECT ${STATE_COLUMNS} FROM ecommerce_ingested_order o WHERE o.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? { ...storedRow(rows[0]), businessId: rows[0].business_id, provider: rows[0].provider } : null;
  }

  /** Orders ingested per hour since `since` (hours with none are left out). */
  perHour(manager: EntityManager, businessId: string, since: Date): Promise<Array<{ hour: Date; count: number }>> {
    return manager.query(
      `SELECT date_trunc('hour', ingested_at) AS hour, count(*)::int AS count FROM ecommerce_ingested_order
       WHERE business_id = $1 AND ingested_at >= $2 GROUP BY 1 ORDER BY 1`,
      [businessId, since],
    );
  }

  /** SKUs of order lines that matched no POS product, in orders ingested since `since`, with how many orders had each. */
  unmatchedSkusSince(manager: EntityManager, businessId: string, since: Date): Promise<Array<{ sku: string; orders: number }>> {
    return manager.query(
      `SELECT COALESCE(l->>'sku', 'variant ' || COALESCE(l->>'variantId', '?')) AS sku, count(DISTINCT o.id)::int AS orders
       FROM ecommerce_ingested_order o CROSS JOIN LATERAL jsonb_array_elements(o.lines) AS l
       WHERE o.business_id = $1 AND o.ingested_at > $2 AND l->>'productId' IS NULL
       GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`,
      [businessId, since],
    );
  }

  /**
   * Privacy requests (customers/redact, shop/redact): forgets the buyer's e-mail on the orders named, or on every
   * order of the connections that carries `email`. Returns how many orders changed.
   */
  async forgetCustomerEmail(manager: EntityManager, connectionIds: string[], match: { externalOrderIds?: string[]; email?: string | null }): Promise<number> {
    if (connectionIds.length === 0) return 0;
    const rows: unknown[] = await manager.query(
      `WITH u AS (
         UPDATE ecommerce_ingested_order SET customer_email = NULL
         WHERE connection_id = ANY($1::uuid[]) AND customer_email IS NOT NULL
           AND ($2::text[] IS NULL AND $3::text IS NULL OR external_order_id = ANY($2::text[]) OR customer_email = lower($3::text))
         RETURNING id
       ) SELECT id FROM u`,
      [connectionIds, match.externalOrderIds ?? null, match.email ?? null],
    );
    return rows.length;
  }

  async saveStates(manager: EntityManager, orders: Array<{ id: string; state: OrderState }>): Promise<void> {
    if (orders.length === 0) return;
    await manager.query(
      `UPDATE ecommerce_ingested_order o
       SET lines = c.lines, refunds = c.refunds, order_number = c.order_number, external_updated_at = c.external_updated_at,
           cancelled_at = c.cancelled_at, status = c.status, customer_email = c.customer_email, totals = c.totals,
           financial_status = c.financial_status, fulfillment_status = c.fulfillment_status, updated_at = now()
       FROM unnest($1::uuid[], $2::jsonb[], $3::jsonb[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::text[])
         AS c(id, lines, refunds, order_number, external_updated_at, cancelled_at, status, customer_email, totals, financial_status, fulfillment_status)
       WHERE o.id = c.id`,
      [
        orders.map((o) => o.id),
        orders.map((o) => JSON.stringify(o.state.lines)),
        orders.map((o) => JSON.stringify(o.state.refunds)),
        orders.map((o) => o.state.name),
        orders.map((o) => o.state.updatedAt),
        orders.map((o) => o.state.cancelledAt),
        orders.map((o) => statusOf(o.state)),
        orders.map((o) => o.state.customerEmail),
        orders.map((o) => (o.state.totals ? JSON.stringify(o.state.totals) : null)),
        orders.map((o) => o.state.financialStatus),
        orders.map((o) => o.state.fulfillmentStatus),
      ],
    );
  }
}

interface OrderRow {
  id: string;
  connection_id: string;
  business_id: string;
  provider: string;
  external_order_id: string;
  order_number: string;
  lines: StoredLine[];
  refunds: StoredRefund[];
  external_updated_at: Date;
  cancelled_at: Date | null;
  customer_email: string | null;
  totals: OrderTotals | null;
  financial_status: string | null;
  fulfillment_status: FulfillmentStatus | null;
}

const STATE_COLUMNS = `o.id, o.connection_id, o.business_id, o.provider, o.external_order_id, o.order_number, o.lines, o.refunds, o.external_updated_at,
  o.cancelled_at, o.customer_email, o.totals, o.financial_status, o.fulfillment_status`;

const storedRow = (row: OrderRow): StoredOrderRow => ({
  id: row.id,
  connectionId: row.connection_id,
  externalOrderId: row.external_order_id,
  state: {
    name: row.order_number,
    updatedAt: row.external_updated_at,
    cancelledAt: row.cancelled_at,
    customerEmail: row.customer_email,
    totals: row.totals,
    financialStatus: row.financial_status,
    fulfillmentStatus: row.fulfillment_status,
    lines: row.lines,
    refunds: row.refunds,
  },
});

const statusOf = (state: OrderState) => (state.cancelledAt ? 'cancelled' : 'ingested');
const keyOf = (o: { connectionId: string; externalOrderId: string }) => `${o.connectionId}\n${o.externalOrderId}`;
function compareKeys(a: { connectionId: string; externalOrderId: string }, b: { connectionId: string; externalOrderId: string }): number {
  const left = keyOf(a);
  const right = keyOf(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
