import { SignatureFailures } from '../webhooks/signature-failures.js';
import { IngestedOrderRepository } from '../orders/ingested-order.repository.js';
import { InboxRepository } from '../webhooks/inbox.repository.js';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTimeout } from '../../common/async/with-timeout.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { BusinessesService } from '../../pos/businesses/businesses.service.js';
import { QueueInspector, type QueueState } from '../../queue/queue-inspector.js';
import { connectionView, ConnectionService } from '../connection/connection.service.js';
import { PollingScheduler } from '../polling/polling-scheduler.service.js';
import { SYNC_TYPES, type SyncType } from '../sync-log/sync-log.entity.js';
import { DELIVERY_STATUSES } from '../webhooks/webhook-delivery.entity.js';
import { OVERDUE_AFTER_MS } from '../forwarding/forwarding-alerts.js';
import { ForwardingRepository } from '../forwarding/forwarding.repository.js';
import { StatusRequestRepository } from '../status-sync/status-request.repository.js';
import { missingForAll } from '../status-sync/status-rules.js';
import { SourceRepository } from '../sources/source.repository.js';
import { STUCK_AFTER_MS, statusFlags, type LastRun, type StatusFacts } from './status-flags.js';

const REDIS_TIMEOUT_MS = 2000;

/** One business's sync at a glance, for GET /ecommerce/status. */
@Injectable()
export class StatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly businesses: BusinessesService,
    private readonly connections: ConnectionService,
    private readonly polling: PollingScheduler,
    private readonly queues: QueueInspector,
    private readonly inbox: InboxRepository,
    private readonly orders: IngestedOrderRepository,
    private readonly signatures: SignatureFailures,
    private readonly sources: SourceRepository,
    private readonly forwarding: ForwardingRepository,
    private readonly statusRequests: StatusRequestRepository,
  ) {}

  async status(businessId: string) {
    await this.businesses.get(businessId);
    const now = new Date();
    const connection = await this.connections.findForBusiness(businessId);
    const [redis, lastRuns, deliveries24h, stuckDeliveries, outbox, unmatchedSkus24h, signatureFailuresLastHour] = await Promise.all([
      this.redisFacts(connection?.id ?? null),
      this.lastRuns(businessId),
      this.deliveriesLastDay(businessId),
      this.stuckDeliveries(businessId),
      this.outbox(businessId),
      this.orders.unmatchedSkusSince(this.dataSource.manager, businessId, new Date(now.getTime() - 24 * 3600_000)),
      connection ? withTimeout(this.signatures.lastHour(connection.shopDomain), REDIS_TIMEOUT_MS).catch(() => 0) : 0,
    ]);
    const sources = (await this.sources.forBusiness(businessId)).map((s) => ({ id: s.id, provider: s.provider, name: s.name, status: s.status, lastError: s.lastError, lastPollAt: s.lastSyncedAt, lastDeliveryAt: s.lastDeliveryAt, createdAt: s.createdAt }));
    const forwardingOverdue = await this.forwarding.countOverdue(new Date(now.getTime() - OVERDUE_AFTER_MS), businessId);
    const requests = await this.statusRequests.summary(businessId, new Date(now.getTime() - 24 * 3600_000));
    const statusSync = { ...requests, missingScopes: connection?.status === 'active' ? missingForAll(connection.scopes.split(',').filter(Boolean)) : [] };
    const facts: StatusFacts = {
      businessId,
      now,
      pollIntervalMinutes: this.config.pollIntervalMinutes,
      connection: connection ? connectionView(connection) : null,
      schedule: redis.schedule,
      queues: redis.queues,
      redisError: redis.error,
      lastRuns,
      deliveries24h,
      stuckDeliveries,
      outbox,
      unmatchedSkus24h,
      signatureFailuresLastHour,
      sources,
      forwardingOverdue,
      statusSync,
    };
    const flags = statusFlags(facts);
    const lastSyncedAt = connection?.lastSyncedAt ?? null;
    return {
      businessId,
      checkedAt: now,
      healthy: flags.length === 0,
      flags,
      connection: facts.connection,
      schedule: redis.schedule && { ...redis.schedule, everyMinutes: this.config.pollIntervalMinutes },
      lastSyncedAt,
      lagSeconds: lastSyncedAt ? Math.round((now.getTime() - lastSyncedAt.getTime()) / 1000) : null,
      queues: redis.queues,
      lastRuns: Object.fromEntries(SYNC_TYPES.map((type) => [type, lastRuns[type] ?? null])),
      deliveries24h,
      stuckDeliveries,
      outbox,
      unmatchedSkus24h,
      signatureFailuresLastHour,
      sources,
      statusSync,
    };
  }

  /** Redis may be down while Postgres is fine: the rest of the status still answers, with the outage flagged. */
  private async redisFacts(connectionId: string | null): Promise<{ schedule: StatusFacts['schedule']; queues: QueueState[] | null; error: string | null }> {
    try {
      const [schedule, queues] = await withTimeout(Promise.all([connectionId ? this.polling.describe(connectionId) : null, this.queues.states()]), REDIS_TIMEOUT_MS);
      return { schedule: schedule && { exists: schedule.exists, nextRunAt: schedule.nextRunAt }, queues, error: null };
    } catch (error) {
      return { schedule: null, queues: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** One indexed lookup per type (business, type, started_at), however many entries the business has. */
  private async lastRuns(businessId: string): Promise<Partial<Record<SyncType, LastRun>>> {
    const [logged, delivery] = await Promise.all([this.loggedRuns(businessId), this.inbox.latestProcessed(businessId)]);
    // Webhooks write a sync log only when something goes wrong; a delivery processed since says how they are doing now.
    if (delivery && (!logged.webhook || logged.webhook.startedAt < delivery.receivedAt)) {
      logged.webhook = { id: delivery.id, status: 'success', message: `Webhook ${delivery.topic} received and processed`, startedAt: delivery.receivedAt, finishedAt: delivery.processedAt };
    }
    return logged;
  }

  private async loggedRuns(businessId: string): Promise<Partial<Record<SyncType, LastRun>>> {
    const rows: Array<LastRun & { type: SyncType }> = await this.dataSource.query(
      `SELECT t.type, l.id, l.status, l.message, l.started_at AS "startedAt", l.finished_at AS "finishedAt"
       FROM unnest($2::text[]) AS t(type)
       CROSS JOIN LATERAL (
         SELECT id, status, message, started_at, finished_at FROM ecommerce_sync_log
         WHERE business_id = $1 AND type = t.type ORDER BY started_at DESC LIMIT 1
       ) l`,
      [businessId, SYNC_TYPES],
    );
    return Object.fromEntries(rows.map(({ type, ...run }) => [type, run]));
  }

  private async deliveriesLastDay(businessId: string): Promise<Record<string, number>> {
    const rows = await this.inbox.countsByStatusSince(businessId, 24);
    const counts: Record<string, number> = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0]));
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }

  private async stuckDeliveries(businessId: string): Promise<number> {
    return this.inbox.stuckCount(businessId, STUCK_AFTER_MS);
  }

  private async outbox(businessId: string): Promise<{ pending: number; oldestPendingAt: Date | null }> {
    const [row] = await this.dataSource.query<Array<{ pending: number; oldestPendingAt: Date | null }>>(
      `SELECT count(*)::int AS pending, min(created_at) AS "oldestPendingAt"
       FROM ecommerce_inventory_outbox WHERE business_id = $1 AND pushed_at IS NULL`,
      [businessId],
    );
    return row ?? { pending: 0, oldestPendingAt: null };
  }
}
