import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { Product } from '../products/product.entity.js';

/**
 * The stock ledger. `unique(product_id, reference)` is what makes a decrement impossible to apply twice:
 * an order line, a cancellation or a client's idempotency key each map to one reference.
 */
@Entity('stock_movement')
@Unique('uq_stock_movement_product_reference', ['productId', 'reference'])
@Index('idx_stock_movement_business_created', ['businessId', 'createdAt'])
export class StockMovement {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  @Column({ type: 'integer' })
  delta!: number;

  @Column({ type: 'varchar', length: 64 })
  reason!: string;

  @Column({ type: 'varchar', length: 255 })
  reference!: string;

  @Column({ name: 'stock_after', type: 'integer' })
  stockAfter!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
