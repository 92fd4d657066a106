import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A single-use, expiring OAuth `state` nonce, bound to the business and the shop it was issued for. */
@Entity('ecommerce_oauth_state')
@Index('idx_oauth_state_expires', ['expiresAt'])
export class OAuthState {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  state!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'shop_domain', type: 'varchar', length: 255 })
  shopDomain!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
