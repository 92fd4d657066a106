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
import type { Order, OrderSourceRef } from '../orders/order.js';
import { SourceRepository } from '../sources/source.repository.js';
import { WooCommerceKind, type PolledFailure } from '../woocommerce/woocommerce.kind.js';
import { PollingScheduler } from './polling-scheduler.service.js';
import { withAdvisoryLock } from '../../database/advisory-lock.js';

interface PollTarget {
  ref: OrderSourceRef;
  /** The shop domain or store URL, for the log. */
  label: string;
  lastSyncedAt: Date | null;
  orders(since: Date): AsyncGenerator<Array<Order | PolledFailure>>;
  markSynced(at: Date): Promise<void>;
  markFailed(error: string): Promise<void>;
}

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
    private readonly sources: SourceRepository,
    private readonly woo: WooCommerceKind,
  ) {}

  async run(connectionId: string): Promise<PollSummary> {
    const summary = await withAdvisoryLock(this.dataSource, `poll:${connectionId}`, () => this.poll(connectionId), { wait: false });
    if (summary) return summary;
    this.logger.log({ connectionId }, 'Another poll of this connection is running; skipping');
    return { status: 'skipped', processed: 0, ingested: 0, duplicates: 0, cancelled: 0, failed: 0 };
  }

  /** What is polled: the Shopify connection, or a WooCommerce source, with the same cursor rules. */
  private async target(id: string): Promise<PollTarget | null> {
    const connection = await this.dataSource.getRepository(EcommerceConnection).findOneBy({ id });
    if (connection) {
      if (connection.status !== 'active') return null;
      return {
        ref: connection,
        label: connection.shopDomain,
        lastSyncedAt: connection.lastSyncedAt,
        orders: (since) => this.shopifyPages(connection, since),
        markSynced: async (at) => {
          await this.dataSource.getRepository(EcommerceConnection).update(connection.id, { lastSyncedAt: at });
        },
        markFailed: () => Promise.resolve(),
      };
    }
    const source = await this.sources.find(id);
    if (!source || source.provider !== 'woocommerce' || source.status !== 'active') return null;
    return {
      ref: { id: source.id, businessId: source.businessId, provider: source.provider },
      label: (source.config as { storeUrl?: string }).storeUrl ?? source.name,
      lastSyncedAt: source.lastSyncedAt,
      orders: (since) => this.woo.pages(source, since),
      markSynced: (at) => this.sources.update(source.id, { lastSyncedAt: at, lastError: null }),
      markFailed: (error) => this.sources.update(source.id, { lastError: error }),
    };
  }

  private async *shopifyPages(connection: EcommerceConnection, since: Date): AsyncGenerator<Order[]> {
    const session = await this.tokens.session(connection.id);
    let cursor: string | null = null;
    do {
      const page = await this.orders.page(session, since, cursor);
      yield page.orders;
      cursor = page.nextCursor;
    } while (cursor);
  }

  private async poll(connectionId: string): Promise<PollSummary> {
    const target = await this.target(connectionId);
    if (!target) {
      // A schedule outliving its connection (removed while Redis was away): remove it now.
      await this.scheduler.unschedule(connectionId);
      return { status: 'skipped', processed: 0, ingested: 0, duplicates: 0, cancelled: 0, failed: 0 };
    }
    const connection = target.ref;
    const runId = randomUUID();
    const startedAt = new Date();
    const since = target.lastSyncedAt
      ? new Date(target.lastSyncedAt.getTime() - OVERLAP_MS)
      : new Date(startedAt.getTime() - this.config.pollLookbackHours * 3600_000);
    const counts: Record<IngestOutcome | 'failed', number> = { ingested: 0, changed: 0, cancelled: 0, duplicate: 0, stale: 0, unknown_order: 0, failed: 0 };
    const failures: Array<{ externalOrderId: string; error: string }> = [];
    let pages = 0;
    let pageError: string | null = null;

    try {
      for await (const page of target.orders(since)) {
        pages++;
        for (const order of page) {
          this.shutdown.throwIfShuttingDown();
          if ('error' in order) {
            counts.failed++;
            failures.push({ externalOrderId: order.externalId, error: order.error });
            continue;
          }
          try {
            const result = await this.ingestion.ingestOne({ connection, change: { kind: 'version', order }, source: 'poll', pollRunId: runId });
            counts[result.outcome]++;
          } catch (error) {
            counts.failed++;
            failures.push({ externalOrderId: order.externalId, error: (error as Error).message });
          }
        }
      }
    } catch (error) {
      pageError = (error as Error).message;
    }

    const processed = counts.ingested + counts.changed + counts.duplicate + counts.cancelled + counts.stale + counts.failed;
    const complete = pageError === null && counts.failed === 0;
    if (complete) await target.markSynced(startedAt);
    else await target.markFailed(pageError ?? `${counts.failed} orders failed`);
    const status: PollSummary['status'] = complete ? 'success' : pageError !== null ? 'failed' : 'partial';
    const summary = `${processed} orders seen: ${counts.ingested} ingested, ${counts.changed} changed, ${counts.duplicate + counts.stale} already known, ${counts.cancelled} cancelled, ${counts.failed} failed`;
    const message = complete
      ? `Poll of ${target.label} since ${since.toISOString()}: ${summary}`
      : `Poll of ${target.label} since ${since.toISOString()} did not complete (${pageError ?? `${counts.failed} orders failed`}): ${summary}. last_synced_at stays at ${target.lastSyncedAt?.toISOString() ?? 'never'}, so the next poll retries from there.`;
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
