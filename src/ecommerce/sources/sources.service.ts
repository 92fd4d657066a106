import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { jobAccepted, type JobAcceptedDto } from '../../queue/job-accepted.js';
import { enqueueOrUnavailable } from '../../queue/queue-gate.js';
import { POLLING_QUEUE } from '../polling/polling.constants.js';
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { BusinessesService } from '../../pos/businesses/businesses.service.js';
import { ConnectionService } from '../connection/connection.service.js';
import { PollingScheduler } from '../polling/polling-scheduler.service.js';
import { APICBASE_PRESET } from '../signed-webhook/order-mapping.js';
import type { SignedWebhookConfig } from '../signed-webhook/signed-webhook.kind.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { WooCommerceClient, type WooStore } from '../woocommerce/woocommerce.client.js';
import { WOO_EVENTS, WooCommerceKind, type WooConfig } from '../woocommerce/woocommerce.kind.js';
import type { OrderSourceEntity } from './order-source.entity.js';
import { SourceRepository } from './source.repository.js';
import type { CreateSignedWebhookSourceDto, CreateWooCommerceSourceDto } from './sources.dto.js';

export interface SourceView {
  id: string;
  businessId: string;
  provider: string;
  name: string;
  status: string;
  /** Where the source's webhooks go (not for Shopify, whose address is fixed). */
  webhookUrl: string | null;
  lastDeliveryAt: Date | null;
  lastPollAt: Date | null;
  lastError: string | null;
  createdAt: Date | null;
}

export const WOO_WEBHOOK_PATH = '/ecommerce/webhooks/woocommerce';
export const SIGNED_WEBHOOK_PATH = '/ecommerce/webhooks/in';

/** Every order source of a business: its Shopify connection, WooCommerce stores and signed-webhook senders. */
@Injectable()
export class SourcesService {
  private readonly logger = new Logger('SourcesService');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sources: SourceRepository,
    private readonly businesses: BusinessesService,
    private readonly connections: ConnectionService,
    private readonly polling: PollingScheduler,
    private readonly woo: WooCommerceClient,
    private readonly syncLog: SyncLogService,
    @InjectQueue(POLLING_QUEUE) private readonly queue: Queue,
    private readonly wooKind: WooCommerceKind,
  ) {}

  async list(businessId: string): Promise<SourceView[]> {
    await this.businesses.get(businessId);
    const shopify = await this.connections.findForBusiness(businessId);
    const views: SourceView[] = shopify
      ? [
          {
            id: shopify.id,
            businessId,
            provider: 'shopify',
            name: shopify.shopDomain,
            status: shopify.status,
            webhookUrl: null,
            lastDeliveryAt: null,
            lastPollAt: shopify.lastSyncedAt,
            lastError: shopify.lastError,
            createdAt: shopify.connectedAt,
          },
        ]
      : [];
    return [...views, ...(await this.sources.forBusiness(businessId)).map((source) => this.view(source))];
  }

  view(source: OrderSourceEntity): SourceView {
    return {
      id: source.id,
      businessId: source.businessId,
      provider: source.provider,
      name: source.name,
      status: source.status,
      webhookUrl: this.webhookUrl(source),
      lastDeliveryAt: source.lastDeliveryAt,
      lastPollAt: source.lastSyncedAt,
      lastError: source.lastError,
      createdAt: source.createdAt,
    };
  }

  private webhookUrl(source: OrderSourceEntity): string {
    return `${this.config.appUrl}${source.provider === 'woocommerce' ? WOO_WEBHOOK_PATH : SIGNED_WEBHOOK_PATH}/${source.id}`;
  }

  /**
   * Checks the keys against the store, stores the source (so that the webhook pings find it), registers the order
   * webhooks, and schedules polling. A store that refuses the keys (401/403) or has no REST API (404) is a 422.
   */
  async connectWooCommerce(dto: CreateWooCommerceSourceDto): Promise<SourceView> {
    await this.businesses.get(dto.businessId);
    const storeUrl = dto.storeUrl.replace(/\/+$/, '');
    const store: WooStore = { storeUrl, consumerKey: dto.consumerKey, consumerSecret: dto.consumerSecret };
    await this.woo.check(store);
    const secret = randomBytes(24).toString('base64url');
    const source = await this.sources.create({
      businessId: dto.businessId,
      provider: 'woocommerce',
      name: dto.name ?? new URL(storeUrl).host,
      config: { storeUrl } satisfies WooConfig,
      webhookSecret: secret,
      credentials: { consumerKey: dto.consumerKey, consumerSecret: dto.consumerSecret },
    });
    const webhookIds: number[] = [];
    try {
      for (const event of WOO_EVENTS) {
        webhookIds.push(await this.woo.createWebhook(store, { name: `POS orders (${event})`, topic: `order.${event}`, deliveryUrl: this.webhookUrl(source), secret }));
      }
    } catch (error) {
      await this.sources.update(source.id, { status: 'disconnected', disconnectedAt: new Date(), lastError: (error as Error).message, config: { storeUrl, webhookIds } });
      throw error;
    }
    await this.sources.update(source.id, { config: { storeUrl, webhookIds } satisfies WooConfig });
    await this.polling.schedule(source.id);
    await this.polling.pollNow(source.id);
    await this.syncLog.record({
      businessId: dto.businessId,
      connectionId: source.id,
      type: 'connection',
      direction: 'outbound',
      status: 'success',
      message: `Connected WooCommerce store ${storeUrl}: ${webhookIds.length} order webhooks registered, polling every ${this.config.pollIntervalMinutes} min`,
      details: { sourceId: source.id, webhookIds },
    });
    return this.view((await this.sources.find(source.id))!);
  }

  /** 201 with the source, its webhook URL and its secret: the only time the secret is shown. */
  async createSignedWebhook(dto: CreateSignedWebhookSourceDto): Promise<SourceView & { secret: string }> {
    await this.businesses.get(dto.businessId);
    const preset = dto.preset === 'apicbase' ? APICBASE_PRESET : null;
    const signature = dto.signature ?? preset?.signature;
    const mapping = dto.mapping ?? preset?.mapping;
    if (!signature) throw new DomainError('invalid', 'signature is required without a preset');
    if (!mapping) throw new DomainError('invalid', 'mapping is required without a preset');
    const secret = dto.secret ?? randomBytes(32).toString('hex');
    const config: SignedWebhookConfig = { signature: { ...signature }, mapping: { ...mapping }, ...(dto.preset ? { preset: dto.preset } : {}) };
    const source = await this.sources.create({ businessId: dto.businessId, provider: 'signed_webhook', name: dto.name, config: config as unknown as Record<string, unknown>, webhookSecret: secret });
    await this.syncLog.record({
      businessId: dto.businessId,
      connectionId: source.id,
      type: 'connection',
      direction: 'inbound',
      status: 'success',
      message: `Created signed-webhook source "${dto.name}"${dto.preset ? ` (${dto.preset})` : ''}: orders are received at ${this.webhookUrl(source)}`,
      details: { sourceId: source.id },
    });
    return { ...this.view(source), secret };
  }

  /** A poll of a WooCommerce source now (one at a time per source, as for Shopify). */
  async pollNow(id: string): Promise<JobAcceptedDto> {
    const source = await this.sources.find(id);
    if (!source) throw new DomainError('not_found', `Source ${id} not found`);
    if (source.provider !== 'woocommerce') throw new DomainError('unprocessable', `A ${source.provider} source is not polled: its sender pushes every order`);
    if (source.status !== 'active') throw new DomainError('conflict', `Source ${id} is disconnected`);
    const job = await enqueueOrUnavailable(this.queue, 'the poll', () => this.polling.pollNow(id));
    return jobAccepted(job.id);
  }

  /** Stops a source: its webhooks are removed where the store allows it, polling stops; its orders stay. */
  async disconnect(id: string): Promise<void> {
    const source = await this.sources.find(id);
    if (!source) {
      const shopify = await this.connections.findById(id);
      if (shopify) return this.connections.disconnect(shopify.businessId);
      throw new DomainError('not_found', `Source ${id} not found`);
    }
    if (source.status !== 'active') return;
    let note = '';
    if (source.provider === 'woocommerce') {
      await this.polling.unschedule(source.id);
      const store = this.wooKind.store(source);
      const ids = (source.config as unknown as WooConfig).webhookIds ?? [];
      const failed: string[] = [];
      for (const webhookId of ids) await this.woo.deleteWebhook(store, webhookId).catch((error: unknown) => failed.push(`${webhookId}: ${(error as Error).message}`));
      note = failed.length ? `; could not remove webhooks ${failed.join('; ')} (their deliveries are now refused)` : `; removed ${ids.length} webhooks`;
    }
    await this.sources.update(id, { status: 'disconnected', disconnectedAt: new Date() });
    await this.syncLog.record({
      businessId: source.businessId,
      connectionId: source.id,
      type: 'connection',
      direction: 'outbound',
      status: 'success',
      message: `Disconnected ${source.provider} source "${source.name}"${note}; its orders stay`,
      details: { sourceId: source.id },
    });
    this.logger.log({ sourceId: id }, 'Source disconnected');
  }
}
