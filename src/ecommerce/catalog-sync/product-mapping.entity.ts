import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { Product } from '../../pos/products/product.entity.js';

/** A POS product and the Shopify product, variant and inventory item it is, per connection. */
@Entity('ecommerce_product_mapping')
@Unique('uq_mapping_connection_product', ['connectionId', 'productId'])
@Unique('uq_mapping_connection_variant', ['connectionId', 'shopifyVariantId'])
@Index('idx_mapping_business', ['businessId'])
export class ProductMapping {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId!: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId!: string;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: Relation<Product>;

  /** Numeric Shopify ids (the tail of the gid), as strings: they exceed 2^53 in principle. */
  @Column({ name: 'shopify_product_id', type: 'varchar', length: 64 })
  shopifyProductId!: string;

  @Column({ name: 'shopify_variant_id', type: 'varchar', length: 64 })
  shopifyVariantId!: string;

  @Column({ name: 'shopify_inventory_item_id', type: 'varchar', length: 64, nullable: true })
  shopifyInventoryItemId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
