import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const ORDER_SOURCES = ['webhook', 'poll'] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];
export const ORDER_STATUSES = ['ingested', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface IngestedLine {
  externalLineId: string;
  sku: string | null;
  variantId: string | null;
  quantity: number;
  /** The POS product the line matched (by mapping, then SKU), or null when nothing matched. */
  productId: string | null;
  /** Whether this line's stock decrement was applied (a line of an order cancelled on arrival is not). */
  decremented: boolean;
}

/**
 * One row per Shopify order per connection, ever. `unique(connection_id, external_order_id)` with
 * INSERT ... ON CONFLICT DO NOTHING is the exactly-once gate for webhooks and polls alike.
 */
@Entity('ecommerce_ingested_order')
@Unique('uq_ingested_order_connection_external', ['connectionId', 'externalOrderId'])
@Index('idx_ingested_order_business_ingested', ['businessId', 'ingestedAt'])
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

  @Column({ type: 'varchar', length: 16 })
  status!: OrderStatus;

  @Column({ type: 'jsonb' })
  lines!: IngestedLine[];

  @Column({ name: 'external_updated_at', type: 'timestamptz' })
  externalUpdatedAt!: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
