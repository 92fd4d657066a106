import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { ProductMappingRepository } from '../catalog-sync/product-mapping.repository.js';
import type { Order } from '../orders/order.js';
import type { SourceProvider } from '../sources/order-source.entity.js';
import { SourceOrderHandler } from '../sources/source-order.handler.js';
import { SourceRepository } from '../sources/source.repository.js';
import type { SourceRequest } from '../sources/source-kind.js';
import { DeliveryProcessor } from './delivery-processor.service.js';
import { DeliveryQueue } from './delivery-queue.service.js';
import { InboxRepository } from './inbox.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SourceAnswer = { ok: true; duplicate?: true };

/**
 * The webhook endpoints of non-Shopify sources: verify with the source's secret, store once, answer. WooCommerce
 * is answered as soon as the delivery is stored (it does not retry; polling is the safety net). A signed-webhook
 * sender shows its user our answer and never retries, so its order is vetted (mapping, known SKUs) before it is
 * stored and ingested before the answer; should ingesting fail, the stored delivery is retried in the background.
 */
@Injectable()
export class SourceWebhookReceiver {
  private readonly logger = new Logger('SourceWebhookReceiver');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sources: SourceRepository,
    private readonly handler: SourceOrderHandler,
    private readonly inbox: InboxRepository,
    private readonly products: ProductMappingRepository,
    private readonly processor: DeliveryProcessor,
    private readonly queue: DeliveryQueue,
    private readonly metrics: MetricsService,
  ) {}

  async receive(provider: SourceProvider, sourceId: string, request: SourceRequest): Promise<SourceAnswer> {
    const topic = `source/${provider}`;
    try {
      const answer = await this.store(provider, sourceId, request);
      this.metrics.webhooksReceived.inc({ topic, outcome: answer.duplicate ? 'duplicate' : 'stored' });
      return answer;
    } catch (error) {
      const outcome = error instanceof DomainError && error.code === 'unavailable' ? 'unavailable' : 'rejected';
      this.metrics.webhooksReceived.inc({ topic, outcome });
      if (outcome === 'rejected') this.logger.warn({ sourceId, provider, reason: (error as Error).message }, 'A source webhook was refused');
      throw error;
    }
  }

  private async store(provider: SourceProvider, sourceId: string, request: SourceRequest): Promise<SourceAnswer> {
    const source = UUID.test(sourceId) ? await this.sources.findCached(sourceId) : null;
    if (!source || source.provider !== provider) throw new DomainError('not_found', `No ${provider} source ${sourceId}`);
    if (source.status !== 'active') throw new DomainError('not_found', `The ${provider} source ${sourceId} is disconnected`);
    const received = this.handler.kind(provider).receive(source, this.sources.secretOf(source), request);
    if (received.kind === 'ping') return { ok: true };
    if (received.order) await this.refuseUnknownSkus(source.businessId, source.id, received.order);
    let deliveryId: string | null;
    try {
      deliveryId = await this.inbox.storeSourceDelivery({ sourceId, businessId: source.businessId, webhookId: received.webhookId, topic: received.topic, payload: request.body.toString('utf8') });
    } catch (error) {
      this.logger.error({ err: error, sourceId }, 'Could not store a source webhook delivery');
      throw new DomainError('unavailable', 'The order could not be stored; send it again later');
    }
    if (!deliveryId) return { ok: true, duplicate: true };
    await this.sources.update(source.id, { lastDeliveryAt: new Date() }).catch(() => undefined);
    if (received.order) {
      // Stored: whatever happens now, the sweeper finishes it. Ingesting here lets the answer mean "in the POS".
      await this.processor.process(deliveryId, false).catch((error: unknown) => this.logger.warn({ err: error, deliveryId }, 'Ingesting a stored order failed; it is retried'));
    } else {
      this.queue.enqueueInBackground(deliveryId);
    }
    return { ok: true };
  }

  /** An order the POS cannot hold: the sender's user sees at once which article numbers are unknown. */
  private async refuseUnknownSkus(businessId: string, sourceId: string, order: Order): Promise<void> {
    const matched = await this.products.matchProducts(
      this.dataSource.manager,
      order.lines.map((line) => ({ key: line.externalLineId, connectionId: sourceId, businessId, variantId: null, sku: line.sku })),
    );
    const unknown = [...new Set(order.lines.filter((line) => !matched.get(line.externalLineId)).map((line) => line.sku))];
    if (unknown.length > 0) throw new DomainError('unprocessable', `No POS product has the article number(s) ${unknown.join(', ')}: order ${order.name} was not stored`);
  }
}
