import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every alert e-mail, sent or not: without SMTP_URL, or when sending failed, this row is where it is kept. */
@Entity('notification')
@Index('idx_notification_business_created', ['businessId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'business_id', type: 'uuid', nullable: true })
  businessId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  @Column({ type: 'jsonb' })
  recipients!: string[];

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  /** sent (by SMTP), logged (no SMTP_URL), failed (SMTP refused or unreachable: see error). */
  @Column({ type: 'varchar', length: 16 })
  delivery!: 'sent' | 'logged' | 'failed';

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
