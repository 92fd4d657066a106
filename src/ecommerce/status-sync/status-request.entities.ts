import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { IngestedOrder } from '../orders/ingested-order.entity.js';
import type { ActionBody, RequestStatus, StatusAction } from './status-rules.js';

/** Where a request stands with the shop between attempts (a Shopify job being followed, an attempt whose fate is unknown). */
export interface RequestProgress {
  /** orderCancel's job, followed until done. */
  jobId?: string;
  jobChecks?: number;
  /** An earlier attempt may have reached the shop (a timeout, a 5xx): the next one checks before acting again. */
  uncertain?: boolean;
}

/**
 * An order's fate sent back to its shop (fulfilled with tracking, paid, cancelled): written in the transaction that
 * checks the order (under its row lock), then carried out by the workers, claimed like a forwarding message.
 * `unique(order_id, idempotency_key)` makes a repeated Idempotency-Key one request.
 */
@Entity('ecommerce_status_request')
@Unique('uq_status_request_idempotency', ['orderId', 'idempotencyKey'])
@Index('idx_status_request_due', ['status', 'nextAttemptAt'])
@Index('idx_status_request_order', ['orderId', 'createdAt'])
@Index('idx_status_request_business', ['businessId', 'createdAt'])
export class StatusRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @ManyToOne(() => IngestedOrder, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: Relation<IngestedOrder>;

  /** The order's source (a Shopify connection or a WooCommerce source) and its kind. */
  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Column({ type: 'varchar', length: 16 })
  action!: StatusAction;

  @Column({ type: 'jsonb' })
  body!: ActionBody;

  /** The caller's Idempotency-Key, or null. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true })
  idempotencyKey!: string | null;

  /** sha256 of the action and its body: the same body within a minute is the same request. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  /** Who asked (the API key's name, or "admin token"). */
  @Column({ name: 'requested_by', type: 'varchar', length: 200 })
  requestedBy!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RequestStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'claim_id', type: 'uuid', nullable: true })
  claimId!: string | null;

  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  progress!: RequestProgress;

  /** What the shop answered when it was done (fulfillment id and tracking, the cancel job, the new payment state). */
  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One row per attempt: what was asked of the shop and what it answered. */
@Entity('ecommerce_status_attempt')
@Index('idx_status_attempt_request', ['requestId', 'startedAt'])
@Index('idx_status_attempt_started', ['startedAt'])
export class StatusAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => StatusRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: Relation<StatusRequest>;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  /** done, retry (it may pass), waiting (a job runs), failed (the shop refused, or retries ran out). */
  @Column({ type: 'varchar', length: 16 })
  outcome!: string;

  /** The shop's answer in short: the calls made and what came back, userErrors included. */
  @Column({ type: 'jsonb' })
  answer!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
