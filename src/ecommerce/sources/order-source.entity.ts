import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Business } from '../../pos/businesses/business.entity.js';

export const SOURCE_PROVIDERS = ['woocommerce', 'signed_webhook'] as const;
export type SourceProvider = (typeof SOURCE_PROVIDERS)[number];
export const SOURCE_STATUSES = ['active', 'disconnected'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

/**
 * An order source other than the business's Shopify connection (which keeps its own table): a WooCommerce store or
 * a sender of HMAC-signed order webhooks. Its id is the `connection_id` of its orders, deliveries and sync logs, so
 * everything downstream treats it like a Shopify connection. Secrets are sealed with TokenCipher.
 */
@Entity('ecommerce_source')
@Index('idx_source_business', ['businessId'])
export class OrderSourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @ManyToOne(() => Business, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'business_id' })
  business?: Relation<Business>;

  @Column({ type: 'varchar', length: 32 })
  provider!: SourceProvider;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SourceStatus;

  /** Not secret: the store URL and registered webhook ids (WooCommerce), the signature and mapping (signed webhooks). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  config!: Record<string, unknown>;

  /** The secret that signs this source's webhooks. */
  @Column({ name: 'webhook_secret_sealed', type: 'text' })
  webhookSecretSealed!: string;

  /** WooCommerce: `{consumerKey, consumerSecret}` as JSON, sealed. */
  @Column({ name: 'credentials_sealed', type: 'text', nullable: true })
  credentialsSealed!: string | null;

  /** Polling cursor: moved only when a whole poll succeeded. */
  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true })
  lastSyncedAt!: Date | null;

  @Column({ name: 'last_delivery_at', type: 'timestamptz', nullable: true })
  lastDeliveryAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'disconnected_at', type: 'timestamptz', nullable: true })
  disconnectedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
