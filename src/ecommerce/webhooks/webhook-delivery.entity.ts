import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const DELIVERY_STATUSES = ['received', 'processed', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The webhook inbox. A delivery is acknowledged only once its row is committed;
 * `unique(shop_domain, webhook_id)` turns Shopify's redeliveries into no-ops.
 */
@Entity('ecommerce_webhook_delivery')
@Unique('uq_delivery_shop_webhook', ['shopDomain', 'webhookId'])
@Index('idx_delivery_status_received', ['status', 'receivedAt'])
@Index('idx_delivery_business_received', ['businessId', 'receivedAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'shop_domain', type: 'varchar', length: 255 })
  shopDomain!: string;

  @Column({ name: 'webhook_id', type: 'varchar', length: 255 })
  webhookId!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ name: 'business_id', type: 'uuid', nullable: true })
  businessId!: string | null;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId!: string | null;

  @Column({ name: 'event_id', type: 'varchar', length: 255, nullable: true })
  eventId!: string | null;

  @Column({ name: 'triggered_at', type: 'varchar', length: 64, nullable: true })
  triggeredAt!: string | null;

  /** The raw body as received; emptied by a redact request. */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
