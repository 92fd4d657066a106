import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row per stock change of a connected business, written in the transaction of the change itself: if Redis
 * or the process dies before the push, the row is still here for the next push or the reconciliation.
 */
@Entity('ecommerce_inventory_outbox')
@Index('idx_inventory_outbox_pending', ['businessId', 'id'], { where: 'pushed_at IS NULL' })
export class InventoryOutbox {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'pushed_at', type: 'timestamptz', nullable: true })
  pushedAt!: Date | null;
}
