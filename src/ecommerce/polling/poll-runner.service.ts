import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ShutdownSignal } from '../../common/lifecycle/shutdown-signal.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AccessTokenService } from '../connection/access-token.service.js';
import { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { OrderIngestionService, type IngestOutcome } from '../orders/order-ingestion.service.js';
import { ShopifyOrdersClient } from '../shopify/shopify-orders.client.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { PollingScheduler } from './polling-scheduler.service.js';
import { withAdvisoryLock } from '../../database/advisory-lock.js';

/** Orders updated just before the previous run may have been indexed late; look back a little. */
const OVERLAP_MS = 5 * 60_000;

export interface PollSummary {
  status: 'success' | 'partial' | 'failed' | 'skipped';
  processed: number;
  ingested: number;
  duplicates: number;
  cancelled: number;
  failed: number;
}

/**
 * One poll of one connection: pages the orders updated since `last_synced_at` (minus an overlap), ingests each
 * through the same path as webhooks, writes one summary log, and moves `last_synced_at` forward only when every
 * page and every order went through. A Postgres advisory lock keeps two polls of one shop from overlapping.
 */
@Injectable()
export class PollRunner {
  private readonly logger = new Logger('PollRunner');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: AccessTokenService,
    private readonly orders: ShopifyOrdersClient,
    private readonly ingestion: OrderIngestionService,
    private readonly syncLog: SyncLogService,
    private readonly scheduler: PollingScheduler,
    private readonly shutdown: ShutdownSignal,
  ) {}

  async run(connectionId: string): Promise<PollSummary> {
    const summary = await withAdvisoryLock(this.dataSource, `poll:${connectionId}`, () => this.poll(connectionId), { wait: false });
    if (summary) return summary;
    this.logger.log({ connectionId }, 'Another poll of this connection is running; skipping');
    return { status: 'skipped', processed: 0, ingested: 0, duplicates: 0, cancelled: 0, failed: 0 };
  }

  private async poll(connectionId: string): Promise<PollSummary> {
    const connection = await this.dataSource.getRepository(EcommerceConnection).findOneBy({ id: connectionId });
    if (!connection || connection.status !== 'active') {
      // A schedule outliving its connection (removed while Redis was away): remove it now.
      await this.scheduler.unschedule(connectionId);
      return { status: 'skipped', processed: 0, ingested: 0, duplicates: 0, cancelled: 0, failed: 0 };
    }
    const runId = randomUUID();
    const startedAt = new Date();
    const since = connection.lastSyncedAt
      ? new Date(connection.lastSyncedAt.getTime() - OVERLAP_MS)
      : new Date(startedAt.getTime() - this.config.pollLookbackHours * 3600_000);
    const counts: Record<IngestOutcome | 'failed', number> = { ingested: 0, changed: 0, cancelled: 0, duplicate: 0, stale: 0, unknown_order: 0, failed: 0 };
    const failures: Array<{ externalOrderId: string; error: string }> = [];
    let pages = 0;
    let pageError: string | null = null;

    try {
      const session = await this.tokens.session(connection.id);
      let cursor: string | null = null;
      do {
        const page = await this.orders.page(session, since, cursor);
        pages++;
        for (const order of page.orders) {
          this.shutdown.throwIfShuttingDown();
          try {
            const result = await this.ingestion.ingestOne({ connection, change: { kind: 'version', order }, source: 'poll', pollRunId: runId });
            counts[result.outcome]++;
          } catch (error) {
            counts.failed++;
            failures.push({ externalOrderId: order.externalId, error: (error as Error).message });
          }
        }
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      pageError = (error as Error).message;
    }

    const processed = counts.ingested + counts.changed + counts.duplicate + counts.cancelled + counts.stale + counts.failed;
    const complete = pageError === null && counts.failed === 0;
    if (complete) await this.dataSource.getRepository(EcommerceConnection).update(connection.id, { lastSyncedAt: startedAt });
    const status: PollSummary['status'] = complete ? 'success' : pageError !== null ? 'failed' : 'partial';
    const summary = `${processed} orders seen: ${counts.ingested} ingested, ${counts.changed} changed, ${counts.duplicate + counts.stale} already known, ${counts.cancelled} cancelled, ${counts.failed} failed`;
    const message = complete
      ? `Poll of ${connection.shopDomain} since ${since.toISOString()}: ${summary}`
      : `Poll of ${connection.shopDomain} since ${since.toISOString()} did not complete (${pageError ?? `${counts.failed} orders failed`}): ${summary}. last_synced_at stays at ${connection.lastSyncedAt?.toISOString() ?? 'never'}, so the next poll retries from there.`;
    await this.syncLog.record({
      businessId: connection.businessId,
      connectionId: connection.id,
      type: 'poll',
      direction: 'inbound',
      status,
      processed,
      failed: counts.failed,
      message,
      details: { pollRunId: runId, since: since.toISOString(), pages, ...counts, duplicates: counts.duplicate + counts.stale, failures: failures.slice(0, 50), pageError },
      startedAt,
      finishedAt: new Date(),
    });
    return { status, processed, ingested: counts.ingested, duplicates: counts.duplicate + counts.stale, cancelled: counts.cancelled, failed: counts.failed };
  }
}
