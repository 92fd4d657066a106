import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { Business } from '../../pos/businesses/business.entity.js';

export const CONNECTION_STATUSES = ['active', 'disconnected', 'uninstalled'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** One per business. Tokens are sealed with TokenCipher; a shop may be active on one business only. */
@Entity('ecommerce_connection')
@Unique('uq_connection_business', ['businessId'])
@Index('uq_connection_active_shop', ['shopDomain'], { unique: true, where: `status = 'active'` })
export class EcommerceConnection {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @ManyToOne(() => Business, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'business_id' })
  business?: Relation<Business>;

  @Column({ type: 'varchar', length: 32, default: 'shopify' })
  provider!: string;

  @Column({ name: 'shop_domain', type: 'varchar', length: 255 })
  shopDomain!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ConnectionStatus;

  @Column({ name: 'access_token_sealed', type: 'text', nullable: true })
  accessTokenSealed!: string | null;

  @Column({ name: 'access_token_expires_at', type: 'timestamptz', nullable: true })
  accessTokenExpiresAt!: Date | null;

  @Column({ name: 'refresh_token_sealed', type: 'text', nullable: true })
  refreshTokenSealed!: string | null;

  @Column({ name: 'refresh_token_expires_at', type: 'timestamptz', nullable: true })
  refreshTokenExpiresAt!: Date | null;

  @Column({ type: 'text', default: '' })
  scopes!: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true })
  lastSyncedAt!: Date | null;

  @Column({ name: 'connected_at', type: 'timestamptz', nullable: true })
  connectedAt!: Date | null;

  @Column({ name: 'disconnected_at', type: 'timestamptz', nullable: true })
  disconnectedAt!: Date | null;

  @Column({ name: 'webhooks_registered_at', type: 'timestamptz', nullable: true })
  webhooksRegisteredAt!: Date | null;

  /** The Shopify location (gid) that POS stock is pushed to: the shop's primary location unless an admin chose another. */
  @Column({ name: 'location_id', type: 'varchar', length: 128, nullable: true })
  locationId!: string | null;

  /** What last went wrong with this connection (setup, token refresh), in words a support person can act on. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
