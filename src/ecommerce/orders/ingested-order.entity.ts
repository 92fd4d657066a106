import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { StoredLine, StoredRefund } from './holdings.js';
import type { FulfillmentStatus } from './order.js';

export const ORDER_SOURCES = ['webhook', 'poll'] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];
export const ORDER_STATUSES = ['ingested', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * One row per order per connection, ever. `unique(connection_id, external_order_id)` with
 * INSERT ... ON CONFLICT DO NOTHING is the exactly-once gate for webhooks and polls alike. The row holds the
 * order's state as the holding rules need it (src/ecommerce/orders/holdings.ts): each line's current quantity
 * and what it holds out of stock, and every refund known.
 */
@Entity('ecommerce_ingested_order')
@Unique('uq_ingested_order_connection_external', ['connectionId', 'externalOrderId'])
@Index('idx_ingested_order_business_ingested', ['businessId', 'ingestedAt'])
@Index('idx_ingested_order_business_email', ['businessId', 'customerEmail'])
export class IngestedOrder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'external_order_id', type: 'varchar', length: 64 })
  externalOrderId!: string;

  @Column({ name: 'order_number', type: 'varchar', length: 64 })
  orderNumber!: string;

  @Column({ type: 'varchar', length: 16 })
  source!: OrderSource;

  /** The kind of source (shopify, woocommerce, signed_webhook); `connection_id` is the source itself. */
  @Column({ type: 'varchar', length: 32, default: 'shopify' })
  provider!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OrderStatus;

  @Column({ type: 'jsonb' })
  lines!: StoredLine[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  refunds!: StoredRefund[];

  @Column({ name: 'external_updated_at', type: 'timestamptz' })
  externalUpdatedAt!: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** Lowercased; null when the source did not tell it or a privacy request erased it. */
  @Column({ name: 'customer_email', type: 'varchar', length: 320, nullable: true })
  customerEmail!: string | null;

  /** The order's total and currency as the source last gave them (null when it did not). */
  @Column({ type: 'jsonb', nullable: true })
  totals!: { total: string; currency: string | null } | null;

  /** Payment state as the source last told it (Shopify's financial status, lowercased); null when not told. */
  @Column({ name: 'financial_status', type: 'varchar', length: 32, nullable: true })
  financialStatus!: string | null;

  /** unfulfilled, partial or fulfilled, as the source last told it; null when not told. */
  @Column({ name: 'fulfillment_status', type: 'varchar', length: 16, nullable: true })
  fulfillmentStatus!: FulfillmentStatus | null;

  @Column({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
