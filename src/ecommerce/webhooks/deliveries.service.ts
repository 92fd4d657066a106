import { jobAccepted, type JobAcceptedDto } from '../../queue/job-accepted.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { enqueueOrUnavailable, requireRedis } from '../../queue/queue-gate.js';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { In, Repository } from 'typeorm';
import { newestFirst, toPage } from '../../common/paging/cursor.js';
import type { Page } from '../../common/paging/page-query.dto.js';
import { DeliveryQueue } from './delivery-queue.service.js';
import type { DeliveriesQueryDto } from './deliveries.dto.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WEBHOOKS_QUEUE } from './webhooks.constants.js';

export interface DeliveryView {
  id: string;
  topic: string;
  webhookId: string;
  /** The Shopify connection or source it came for (null: an unknown shop). */
  sourceId: string | null;
  status: WebhookDelivery['status'];
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

const view = (d: WebhookDelivery): DeliveryView => ({
  id: d.id,
  topic: d.topic,
  webhookId: d.webhookId,
  sourceId: d.connectionId,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  receivedAt: d.receivedAt,
  processedAt: d.processedAt,
});

export const BULK_REPLAY_LIMIT = 500;

/** The inbox as support sees it, and replay: processing again is safe because ingestion is exactly-once. */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    private readonly deliveryQueue: DeliveryQueue,
  ) {}

  async list(query: DeliveriesQueryDto): Promise<Page<DeliveryView>> {
    const q = this.deliveries.createQueryBuilder('d');
    if (query.businessId) q.andWhere('d.businessId = :businessId', { businessId: query.businessId });
    if (query.status) q.andWhere('d.status = :status', { status: query.status });
    if (query.sourceId) q.andWhere('d.connectionId = :sourceId', { sourceId: query.sourceId });
    newestFirst(q, 'd', 'received_at', query.limit, query.cursor);
    return toPage(await q.getMany(), query.limit, (d) => ({ at: d.receivedAt.toISOString(), id: d.id }), view);
  }

  /**
   * Every failed delivery of a business (or of one of its sources), up to BULK_REPLAY_LIMIT at a time, processed
   * again. Each is followed like a single replay; the answer lists them so a caller can watch them settle.
   */
  async replayFailed(filter: { businessId: string; sourceId?: string }): Promise<{ count: number; ids: string[]; more: boolean }> {
    await requireRedis(this.queue, 'the replay');
    const q = this.deliveries.createQueryBuilder('d').select('d.id', 'id').where('d.businessId = :businessId AND d.status = :status', { businessId: filter.businessId, status: 'failed' });
    if (filter.sourceId) q.andWhere('d.connectionId = :sourceId', { sourceId: filter.sourceId });
    const rows = await q.orderBy('d.receivedAt', 'ASC').limit(BULK_REPLAY_LIMIT + 1).getRawMany<{ id: string }>();
    const ids = rows.slice(0, BULK_REPLAY_LIMIT).map((r) => r.id);
    for (const id of ids) await this.queue.remove(id).catch(() => undefined);
    if (ids.length > 0) await this.deliveries.update({ id: In(ids) }, { status: 'received', lastError: null, processedAt: null });
    // Reset first, then enqueued: should Redis fail in between, the sweeper enqueues the received deliveries later.
    for (const id of ids) await enqueueOrUnavailable(this.queue, 'the replay', () => this.deliveryQueue.enqueue(id));
    return { count: ids.length, ids, more: rows.length > BULK_REPLAY_LIMIT };
  }

  async replay(id: string): Promise<JobAcceptedDto> {
    const delivery = await this.deliveries.findOneBy({ id });
    if (!delivery) throw new DomainError('not_found', `Delivery ${id} not found`);
    await requireRedis(this.queue, 'the replay');
    // A finished job with the delivery's id would make the new one a no-op: clear it first.
    await this.queue.remove(id).catch(() => undefined);
    await this.deliveries.update({ id }, { status: 'received', lastError: null, processedAt: null });
    // Reset and enqueued: should Redis fail in between, the sweeper enqueues the received delivery later.
    await enqueueOrUnavailable(this.queue, 'the replay', () => this.deliveryQueue.enqueue(id));
    return jobAccepted(id);
  }
}
