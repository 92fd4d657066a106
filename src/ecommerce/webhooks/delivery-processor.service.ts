import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { rawPool } from '../../database/raw-pool.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { ConnectionService } from '../connection/connection.service.js';
import { OrderWebhookHandler } from '../orders/order-webhook.handler.js';
import { parseWebhookJson } from '../shopify/order-mapper.js';
import { isRetryable } from '../../common/errors/domain-error.js';
import { ORDER_TOPICS } from '../shopify/webhook-topics.js';
import { SourceOrderHandler } from '../sources/source-order.handler.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { ComplianceService, type ComplianceOutcome } from './compliance.service.js';
import { WebhookDelivery, type DeliveryStatus } from './webhook-delivery.entity.js';

export interface DeliveryOutcome {
  status: Extract<DeliveryStatus, 'processed' | 'skipped'>;
  note?: string;
  /** The handler already stored this outcome on the delivery, inside its own transaction. */
  recorded?: boolean;
}

type TopicHandler = (delivery: WebhookDelivery, payload: Record<string, unknown>) => Promise<DeliveryOutcome>;

/**
 * Processes one stored delivery. Safe to run any number of times for the same delivery: a delivery already
 * processed or skipped is left alone, and every handler is itself idempotent.
 */
@Injectable()
export class DeliveryProcessor {
  private readonly logger = new Logger('DeliveryProcessor');
  private readonly handlers = new Map<string, TopicHandler>();
  private readonly pool: pg.Pool;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionService,
    private readonly compliance: ComplianceService,
    private readonly syncLog: SyncLogService,
    private readonly metrics: MetricsService,
    orders: OrderWebhookHandler,
    private readonly sourceOrders: SourceOrderHandler,
  ) {
    this.pool = rawPool(dataSource);
    for (const topic of ORDER_TOPICS) this.handlers.set(topic, (d, p) => orders.handle(d, p));
    this.handlers.set('app/uninstalled', (d) => this.uninstalled(d));
    this.handlers.set('customers/data_request', (d, p) => this.logCompliance(d, this.compliance.dataRequest(d.shopDomain, p)));
    this.handlers.set('customers/redact', (d, p) => this.logCompliance(d, this.compliance.redactCustomer(d.shopDomain, p)));
    this.handlers.set('shop/redact', (d) => this.logCompliance(d, this.compliance.redactShop(d.shopDomain, d.id)));
  }

  /**
   * A job whose delivery is not in this database was most likely enqueued by another deployment sharing the Redis
   * and its queue prefix: say so, rather than drop it silently.
   */
  warnMissing(deliveryId: string): void {
    this.logger.warn(
      { deliveryId },
      `Delivery ${deliveryId} is not in this database: the job probably belongs to another deployment on the same Redis; give each deployment its own QUEUE_PREFIX (the default is derived from DATABASE_URL)`,
    );
  }

  /** Returns false when the delivery needs another try; true once it is done, including a final failure. */
  async process(deliveryId: string, finalAttempt: boolean): Promise<boolean> {
    const repository = this.dataSource.getRepository(WebhookDelivery);
    const delivery = await this.load(deliveryId);
    if (!delivery) this.warnMissing(deliveryId);
    if (!delivery || delivery.status === 'processed' || delivery.status === 'skipped') return true;
    const handler = this.handlers.get(delivery.topic) ?? (delivery.topic.startsWith('source/') ? (d: WebhookDelivery, p: Record<string, unknown>) => this.sourceOrders.handle(d, p) : undefined);
    const topic = this.metrics.topicLabel(delivery.topic);
    try {
      if (!handler) throw new Error(`no handler for topic ${delivery.topic}`);
      const payload = parseWebhookJson(delivery.payload ?? '{}');
      const outcome = await handler(delivery, payload);
      if (!outcome.recorded) {
        await this.pool.query('UPDATE ecommerce_webhook_delivery SET status = $2, attempts = attempts + 1, processed_at = now(), last_error = $3 WHERE id = $1', [
          deliveryId,
          outcome.status,
          // last_error explains a skip; a processed delivery (even a duplicate of a known order) has none.
          outcome.status === 'skipped' ? (outcome.note ?? null) : null,
        ]);
      }
      this.count(delivery, outcome.status);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // What retrying cannot fix (a payload that cannot be read, a refusal) fails now; the rest is retried.
      if (!isRetryable(error)) finalAttempt = true;
      await repository.update(
        { id: deliveryId },
        { attempts: delivery.attempts + 1, lastError: message, ...(finalAttempt ? { status: 'failed' as const } : {}) },
      );
      this.metrics.webhooksProcessed.inc({ topic, outcome: finalAttempt ? 'failed' : 'retry' });
      this.logger.warn({ deliveryId, topic: delivery.topic, businessId: delivery.businessId, err: error }, 'Processing a delivery failed');
      if (finalAttempt) {
        await this.syncLog.record({
          businessId: delivery.businessId,
          connectionId: delivery.connectionId,
          type: 'webhook',
          direction: 'inbound',
          status: 'failed',
          failed: 1,
          message: `Webhook ${delivery.topic} from ${delivery.shopDomain} failed after ${delivery.attempts + 1} attempts: ${message}. Replay it once the cause is fixed.`,
          details: { deliveryId, webhookId: delivery.webhookId, topic: delivery.topic },
        });
      }
      return finalAttempt;
    }
  }

  /** Plain SQL: this runs once per delivery, thousands of times a second under load. */
  private async load(deliveryId: string): Promise<WebhookDelivery | null> {
    return (await this.loadMany([deliveryId])).get(deliveryId) ?? null;
  }

  async loadMany(deliveryIds: string[]): Promise<Map<string, WebhookDelivery>> {
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT id, shop_domain, webhook_id, topic, business_id, connection_id, payload, status, attempts, received_at
       FROM ecommerce_webhook_delivery WHERE id = ANY($1::uuid[])`,
      [deliveryIds],
    );
    return new Map(
      rows.map((row) => [
        row.id as string,
        Object.assign(new WebhookDelivery(), {
          id: row.id,
          shopDomain: row.shop_domain,
          webhookId: row.webhook_id,
          topic: row.topic,
          businessId: row.business_id,
          connectionId: row.connection_id,
          payload: row.payload,
          status: row.status,
          attempts: row.attempts,
          receivedAt: row.received_at,
        }),
      ]),
    );
  }

  /** A batch that failed as a whole counts as an attempt of each of its deliveries, which are then tried alone. */
  async recordFailedAttempt(deliveryIds: string[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.pool.query('UPDATE ecommerce_webhook_delivery SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])', [deliveryIds, message]);
  }

  /** Counts a delivery that a batch processed, as `process` does for one. */
  countProcessed(delivery: WebhookDelivery): void {
    this.count(delivery, 'processed');
  }

  private count(delivery: WebhookDelivery, outcome: DeliveryOutcome['status']): void {
    const topic = this.metrics.topicLabel(delivery.topic);
    this.metrics.webhooksProcessed.inc({ topic, outcome });
    if (outcome === 'processed') this.metrics.ingestLatency.observe({ topic }, (Date.now() - delivery.receivedAt.getTime()) / 1000);
  }

  private async uninstalled(delivery: WebhookDelivery): Promise<DeliveryOutcome> {
    const connection = await this.connections.markUninstalled(delivery.shopDomain);
    if (!connection) return { status: 'skipped', note: 'no active connection for this shop' };
    await this.syncLog.record({
      businessId: connection.businessId,
      connectionId: connection.id,
      type: 'connection',
      direction: 'inbound',
      status: 'success',
      message: `The app was uninstalled from ${delivery.shopDomain}: connection marked uninstalled, token deleted, polling stopped`,
      details: { deliveryId: delivery.id },
    });
    return { status: 'processed' };
  }

  private async logCompliance(delivery: WebhookDelivery, work: Promise<ComplianceOutcome>): Promise<DeliveryOutcome> {
    const outcome = await work;
    await this.syncLog.record({
      businessId: delivery.businessId,
      connectionId: delivery.connectionId,
      type: 'webhook',
      direction: 'inbound',
      status: 'success',
      processed: 1,
      message: outcome.message,
      details: { ...outcome.details, deliveryId: delivery.id, topic: delivery.topic },
    });
    return { status: 'processed' };
  }
}
