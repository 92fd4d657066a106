import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { Business } from '../../pos/businesses/business.entity.js';

export const FORWARDING_EVENTS = ['order.created', 'order.cancelled'] as const;
export type ForwardingEvent = (typeof FORWARDING_EVENTS)[number];
/** `sending` is a claim in flight; the API shows it as pending. */
export const MESSAGE_STATUSES = ['pending', 'sending', 'in_progress', 'on_hold'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** An ERP endpoint of a business: where its orders are posted, and how. */
@Entity('ecommerce_forwarding_destination')
@Index('idx_forwarding_destination_business', ['businessId'])
export class ForwardingDestination {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @ManyToOne(() => Business, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'business_id' })
  business?: Relation<Business>;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  @Column({ name: 'auth_header_name', type: 'varchar', length: 100, nullable: true })
  authHeaderName!: string | null;

  @Column({ name: 'auth_header_value_sealed', type: 'text', nullable: true })
  authHeaderValueSealed!: string | null;

  @Column({ type: 'jsonb', default: () => `'["order.created"]'` })
  events!: ForwardingEvent[];

  @Column({ name: 'erp_order_id_path', type: 'varchar', length: 200, nullable: true })
  erpOrderIdPath!: string | null;

  @Column({ name: 'message_path', type: 'varchar', length: 200, nullable: true })
  messagePath!: string | null;

  @Column({ name: 'notify_emails', type: 'jsonb', default: () => "'[]'" })
  notifyEmails!: string[];

  @Column({ name: 'timeout_seconds', type: 'integer', default: 15 })
  timeoutSeconds!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Why it was disabled by the service itself (a 410), for the status view. */
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason!: string | null;

  @Column({ name: 'signing_secret_sealed', type: 'text' })
  signingSecretSealed!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One event for one destination: written in the ingestion's transaction (`unique(destination, order, event)`),
 * sent until one send succeeds. A send is claimed first (status `sending`, `claim_id`, `claimed_until`), so two
 * workers or a retry and a reprocess never send it at once; a claim whose worker died lapses and is taken again.
 */
@Entity('ecommerce_forwarding_message')
@Unique('uq_forwarding_message_order_event', ['destinationId', 'orderId', 'event'])
@Index('idx_forwarding_message_due', ['status', 'nextAttemptAt'])
@Index('idx_forwarding_message_business', ['businessId', 'createdAt'])
export class ForwardingMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'destination_id', type: 'uuid' })
  destinationId!: string;

  @ManyToOne(() => ForwardingDestination, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'destination_id' })
  destination?: Relation<ForwardingDestination>;

  @Column({ name: 'business_id', type: 'uuid' })
  businessId!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ type: 'varchar', length: 32 })
  event!: ForwardingEvent;

  /** The exact bytes sent, fixed when the message is written: every retry sends the same body. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: MessageStatus;

  /** Sends in the current round (a reprocess starts a new round). */
  @Column({ type: 'integer', default: 0 })
  sends!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** The next send was asked for by a person (reprocess), not the schedule. */
  @Column({ name: 'manual', type: 'boolean', default: false })
  manual!: boolean;

  @Column({ name: 'claim_id', type: 'uuid', nullable: true })
  claimId!: string | null;

  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'erp_order_id', type: 'varchar', length: 500, nullable: true })
  erpOrderId!: string | null;

  @Column({ name: 'erp_message', type: 'text', nullable: true })
  erpMessage!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** When the "not delivered after 30 minutes" e-mail went out for it. */
  @Column({ name: 'alerted_at', type: 'timestamptz', nullable: true })
  alertedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One row per send: what was sent (secrets redacted) and what came back. */
@Entity('ecommerce_forwarding_attempt')
@Index('idx_forwarding_attempt_message', ['messageId', 'startedAt'])
@Index('idx_forwarding_attempt_started', ['startedAt'])
export class ForwardingAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @ManyToOne(() => ForwardingMessage, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: Relation<ForwardingMessage>;

  @Column({ type: 'varchar', length: 16 })
  trigger!: 'scheduled' | 'manual';

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'response_excerpt', type: 'text', nullable: true })
  responseExcerpt!: string | null;

  @Column({ name: 'request_headers', type: 'jsonb' })
  requestHeaders!: Record<string, string>;

  /** What the send led to: in_progress, a retry, on_hold. */
  @Column({ type: 'varchar', length: 16 })
  outcome!: string;
}
