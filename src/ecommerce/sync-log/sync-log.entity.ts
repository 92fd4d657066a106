import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SYNC_TYPES = ['webhook', 'poll', 'order', 'inventory_push', 'product_sync', 'collection_sync', 'connection', 'forwarding', 'status_sync'] as const;
export type SyncType = (typeof SYNC_TYPES)[number];
export const SYNC_STATUSES = ['success', 'partial', 'failed', 'skipped'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
export const SYNC_DIRECTIONS = ['inbound', 'outbound'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

/** What happened in one background run or event, written for the support person who will read it. */
@Entity('ecommerce_sync_log')
@Index('idx_sync_log_business_started', ['businessId', 'startedAt'])
@Index('idx_sync_log_started', ['startedAt'])
@Index('idx_sync_log_business_type_started', ['businessId', 'type', 'startedAt'])
export class SyncLog {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid', nullable: true })
  businessId!: string | null;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId!: string | null;

  @Column({ type: 'varchar', length: 32 })
  type!: SyncType;

  @Column({ type: 'varchar', length: 16 })
  direction!: SyncDirection;

  @Column({ type: 'varchar', length: 16 })
  status!: SyncStatus;

  @Column({ type: 'integer', default: 0 })
  processed!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;
}
