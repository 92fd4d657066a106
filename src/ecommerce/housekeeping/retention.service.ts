import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ShutdownSignal } from '../../common/lifecycle/shutdown-signal.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { InboxRepository } from '../webhooks/inbox.repository.js';
import { RETENTION_BATCH } from './housekeeping.constants.js';

export interface RetentionResult {
  cutoff: Date;
  syncLogs: number;
  deliveries: number;
  outboxRows: number;
  oauthStates: number;
  forwardingAttempts: number;
  statusAttempts: number;
}

/**
 * Deletes what support no longer needs: sync logs, processed or skipped webhook deliveries and pushed outbox rows
 * older than SYNC_LOG_RETENTION_DAYS, ERP forwarding and status-request attempts as old, and expired OAuth states. Ingested orders and stock movements are kept for
 * good, and so are failed or unprocessed deliveries of known shops, which still await someone's replay; failed
 * deliveries that belong to no business (shops we have no connection with) cannot be replayed and go too.
 *
 * Each statement deletes one small batch picked with SKIP LOCKED, so it never waits on, nor holds up, the
 * writers of these tables for long.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: ShutdownSignal,
    private readonly inbox: InboxRepository,
  ) {}

  async run(now = new Date()): Promise<RetentionResult> {
    const cutoff = new Date(now.getTime() - this.config.syncLogRetentionDays * 86_400_000);
    const result: RetentionResult = {
      cutoff,
      syncLogs: await this.deleteInBatches(
        `SELECT id FROM ecommerce_sync_log WHERE started_at < $1 ORDER BY started_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        'ecommerce_sync_log',
        cutoff,
      ),
      deliveries: await this.inBatches((limit) => this.inbox.deleteExpiredBatch(cutoff, limit)),
      // Oldest rows have the lowest ids: walking the primary key finds them without an index on the dates.
      outboxRows: await this.deleteInBatches(
        `SELECT id FROM ecommerce_inventory_outbox WHERE pushed_at IS NOT NULL AND created_at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        'ecommerce_inventory_outbox',
        cutoff,
      ),
      oauthStates: await this.deleteInBatches(
        `SELECT state FROM ecommerce_oauth_state WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        'ecommerce_oauth_state',
        now,
        'state',
      ),
      // The attempt log of ERP forwarding (the messages and their outcome stay with the order).
      forwardingAttempts: await this.deleteInBatches(
        `SELECT id FROM ecommerce_forwarding_attempt WHERE started_at < $1 ORDER BY started_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        'ecommerce_forwarding_attempt',
        cutoff,
      ),
      // Likewise the attempts of status requests back to the shop (the requests and their outcome stay).
      statusAttempts: await this.deleteInBatches(
        `SELECT id FROM ecommerce_status_attempt WHERE started_at < $1 ORDER BY started_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        'ecommerce_status_attempt',
        cutoff,
      ),
    };
    this.logger.log({ ...result }, `Retention removed entries older than ${cutoff.toISOString()}`);
    return result;
  }

  private deleteInBatches(select: string, table: string, before: Date, key = 'id'): Promise<number> {
    return this.inBatches(async (limit) => {
      const [, deleted] = await this.dataSource.query<[unknown, number]>(`DELETE FROM ${table} WHERE ${key} IN (${select})`, [before, limit]);
      return deleted;
    });
  }

  /** Deletes batch after batch until one comes back short. */
  private async inBatches(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      this.shutdown.throwIfShuttingDown();
      const deleted = await deleteBatch(RETENTION_BATCH);
      total += deleted;
      if (deleted < RETENTION_BATCH) return total;
    }
  }
}
