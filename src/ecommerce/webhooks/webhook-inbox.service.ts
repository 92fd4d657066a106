import { DomainError } from '../../common/errors/domain-error.js';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MetricsService, type ReceiveOutcome } from '../../metrics/metrics.service.js';
import { guardClient } from '../../database/data-source-options.js';
import { ConnectionService } from '../connection/connection.service.js';
import type { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { isShopDomain } from '../shopify/shop-domain.js';
import { verifyWebhookSignature } from '../shopify/shopify-signatures.js';
import { COMPLIANCE_TOPICS, isHandledTopic } from '../shopify/webhook-topics.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { DeliveryQueue } from './delivery-queue.service.js';
import { InboxWriter } from './inbox-writer.js';
import { SignatureFailures } from './signature-failures.js';
import { withTimeout } from '../../common/async/with-timeout.js';

export interface WebhookHeaders {
  hmac?: string;
  topic?: string;
  shop?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
}

export type WebhookAnswer = { ok: true } | { ok: false; reason: string };

const CONNECTION_CACHE_MS = 5000;
/** The webhook id of the one row that counts a shop's deliveries while we have no connection with it. */
export const UNKNOWN_SHOP_KEY = 'unknown-shop:';
/** Topics that still matter after the connection ended (Shopify sends them after an uninstall). */
const AFTER_UNINSTALL_TOPICS = new Set<string>([...COMPLIANCE_TOPICS, 'app/uninstalled']);

/**
 * The request path of a webhook: verify, store in the inbox, acknowledge. Storing is one insert; the work is
 * done by the delivery processor. Known shops are cached briefly so a burst costs no extra queries.
 */
@Injectable()
export class WebhookInbox implements OnApplicationShutdown {
  private readonly logger = new Logger('WebhookInbox');
  private readonly connectionCache = new Map<string, { connection: EcommerceConnection; at: number }>();
  private readonly writer: InboxWriter;
  /**
   * A pool of its own: acknowledgements must never queue for a connection behind the delivery processor's
   * transactions. Grouped inserts need only a few connections.
   */
  private readonly pool: pg.Pool;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connections: ConnectionService,
    private readonly queue: DeliveryQueue,
    private readonly syncLog: SyncLogService,
    private readonly metrics: MetricsService,
    private readonly signatureFailures: SignatureFailures,
  ) {
    this.pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, connectionTimeoutMillis: 2000, application_name: 'pos-ecommerce-inbox', onConnect: guardClient });
    // An idle client that loses its connection must not crash the process; the next insert reports the outage.
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'Inbox database connection lost'));
    this.writer = new InboxWriter(this.pool);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  async receive(rawBody: Buffer, headers: WebhookHeaders): Promise<WebhookAnswer> {
    let outcome: ReceiveOutcome = 'rejected';
    try {
      const { answer, stored } = await this.store(rawBody, headers);
      outcome = stored ? (answer.ok ? 'stored' : 'unprocessable') : answer.ok ? 'duplicate' : 'unprocessable';
      return answer;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'unavailable') outcome = 'unavailable';
      throw error;
    } finally {
      this.metrics.webhooksReceived.inc({ topic: this.metrics.topicLabel(headers.topic), outcome });
    }
  }

  private async store(rawBody: Buffer, headers: WebhookHeaders): Promise<{ answer: WebhookAnswer; stored: boolean }> {
    const secret = this.config.shopify.apiSecret;
    if (!secret) {
      this.logger.error('A webhook arrived but SHOPIFY_API_SECRET is not set, so it cannot be verified');
      throw new DomainError('unauthenticated', 'Webhook signatures cannot be verified: SHOPIFY_API_SECRET is not configured');
    }
    for (const [name, value] of [
      ['X-Shopify-Hmac-Sha256', headers.hmac],
      ['X-Shopify-Topic', headers.topic],
      ['X-Shopify-Shop-Domain', headers.shop],
      ['X-Shopify-Webhook-Id', headers.webhookId],
    ] as const) {
      if (!value) throw new DomainError('unauthenticated', `Missing ${name} header`);
    }
    if (!verifyWebhookSignature(rawBody, headers.hmac, secret)) {
      await withTimeout(this.signatureFailures.record(headers.shop), 200).catch(() => undefined);
      throw new DomainError('unauthenticated', 'X-Shopify-Hmac-Sha256 does not match the body: not signed by Shopify');
    }
    const topic = headers.topic!;
    const shop = headers.shop!.toLowerCase();
    const webhookId = headers.webhookId!;
    if (webhookId.length > 255 || topic.length > 64 || shop.length > 255) throw new DomainError('unauthenticated', 'A Shopify header is too long');

    const connection = isShopDomain(shop) ? await this.connectionFor(shop, topic) : null;
    const text = rawBody.toString('utf8');
    const reason = this.unprocessableReason(text, topic, shop, connection);
    if (!connection && reason) return this.storeUnknownShop(shop, topic, reason);
    let deliveryId: string | null;
    try {
      deliveryId = await this.writer.insert({
        shopDomain: shop,
        webhookId,
        topic,
        businessId: connection?.businessId ?? null,
        connectionId: connection?.id ?? null,
        eventId: headers.eventId?.slice(0, 255) ?? null,
        triggeredAt: headers.triggeredAt?.slice(0, 64) ?? null,
        payload: text,
        status: reason ? 'failed' : 'received',
        lastError: reason,
      });
    } catch (error) {
      this.logger.error({ err: error, shop, topic, webhookId }, 'Could not store a webhook delivery');
      throw new DomainError('unavailable', 'The delivery could not be stored; retry later');
    }
    if (!deliveryId) return { answer: reason ? { ok: false, reason } : { ok: true }, stored: false };
    if (reason) {
      await this.syncLog
        .record({
          businessId: connection?.businessId,
          connectionId: connection?.id,
          type: 'webhook',
          direction: 'inbound',
          status: 'failed',
          failed: 1,
          message: `Webhook ${topic} from ${shop} was stored but not processed: ${reason}`,
          details: { deliveryId, webhookId, topic, shop },
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'Could not write the sync log of a refused delivery'));
      return { answer: { ok: false, reason }, stored: true };
    }
    this.queue.enqueueInBackground(deliveryId);
    return { answer: { ok: true }, stored: true };
  }

  /**
   * A signed delivery for a shop we have no connection with cannot be replayed by anyone, so it is not kept one
   * row each with its payload: one row per shop and topic counts them (attempts, last received), and the first
   * one of a spell writes a sync log. Retention deletes these rows like processed ones.
   */
  private async storeUnknownShop(shop: string, topic: string, reason: string): Promise<{ answer: WebhookAnswer; stored: boolean }> {
    let first: boolean;
    try {
      const { rows } = await this.pool.query<{ first: boolean; id: string }>(
        `INSERT INTO ecommerce_webhook_delivery (shop_domain, webhook_id, topic, payload, status, attempts, last_error)
         VALUES ($1, $2, $3, NULL, 'failed', 1, $4)
         ON CONFLICT (shop_domain, webhook_id) DO UPDATE
           SET attempts = ecommerce_webhook_delivery.attempts + 1, received_at = now(), last_error = EXCLUDED.last_error
         RETURNING id, (xmax = 0) AS first`,
        [shop.slice(0, 255), `${UNKNOWN_SHOP_KEY}${topic}`.slice(0, 255), topic.slice(0, 64), reason],
      );
      first = rows[0].first;
      if (first) {
        await this.syncLog.record({
          type: 'webhook',
          direction: 'inbound',
          status: 'failed',
          failed: 1,
          message: `Webhooks ${topic} from ${shop} are refused: ${reason}. Later ones are counted on delivery ${rows[0].id} without their payload`,
          details: { deliveryId: rows[0].id, topic, shop },
        });
      }
    } catch (error) {
      this.logger.error({ err: error, shop, topic }, 'Could not record a webhook for an unknown shop');
      throw new DomainError('unavailable', 'The delivery could not be stored; retry later');
    }
    return { answer: { ok: false, reason }, stored: first };
  }

  private unprocessableReason(body: string, topic: string, shop: string, connection: EcommerceConnection | null): string | null {
    if (!isHandledTopic(topic)) return `unknown topic ${topic}`;
    if (!connection && !AFTER_UNINSTALL_TOPICS.has(topic)) return `unknown shop ${shop}: no active connection`;
    try {
      const payload: unknown = JSON.parse(body);
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'malformed payload: not a JSON object';
    } catch {
      return 'malformed payload: not valid JSON';
    }
    return null;
  }

  private async connectionFor(shop: string, topic: string): Promise<EcommerceConnection | null> {
    const cached = this.connectionCache.get(shop);
    if (cached && Date.now() - cached.at < CONNECTION_CACHE_MS) return cached.connection;
    const active = await this.connections.findActiveByShop(shop);
    if (active) {
      this.connectionCache.set(shop, { connection: active, at: Date.now() });
      return active;
    }
    this.connectionCache.delete(shop);
    if (!AFTER_UNINSTALL_TOPICS.has(topic)) return null;
    const [latest] = (await this.connections.findByShop(shop)).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    return latest ?? null;
  }
}
