import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { Category } from '../../pos/categories/category.entity.js';

/** A POS category and the Shopify custom collection it is, per connection. */
@Entity('ecommerce_collection_mapping')
@Unique('uq_collection_mapping_connection_category', ['connectionId', 'categoryId'])
export class CollectionMapping {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId!: string;

  @Column({ name: 'category_id', type: 'uuid' })
  categoryId!: string;

  @ManyToOne(() => Category, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'category_id' })
  category?: Relation<Category>;

  @Column({ name: 'shopify_collection_id', type: 'varchar', length: 64 })
  shopifyCollectionId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
