import { Injectable, Logger } from '@nestjs/common';
import { MicroBatch } from '../../common/async/micro-batch.js';
import { withLogContext } from '../../common/logging/log-context.js';
import { OrderIngestionService, type IngestEntry } from '../orders/order-ingestion.service.js';
import { OrderWebhookHandler } from '../orders/order-webhook.handler.js';
import { parseWebhookJson } from '../shopify/order-mapper.js';
import { ORDER_TOPICS } from '../shopify/webhook-topics.js';
import { DeliveryProcessor } from './delivery-processor.service.js';
import type { WebhookDelivery } from './webhook-delivery.entity.js';
import { WEBHOOKS_QUEUE } from './webhooks.constants.js';

const BATCH_MAX = 256;
const BATCH_WAIT_MS = 2;
/** Two: one batch in Postgres while the next is read and mapped; more would only queue on the same product rows. */
const BATCHES_IN_FLIGHT = 2;
const ORDER_TOPIC_SET = new Set<string>(ORDER_TOPICS);

interface Pending {
  deliveryId: string;
  finalAttempt: boolean;
  resolve: (done: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the deliveries that the webhook worker's concurrent jobs hand in within a couple of milliseconds and
 * ingests their orders in one transaction (OrderIngestionService, the same path as one order): under a burst this
 * turns about ten statements per delivery into about ten per batch. At most two batches run at once, so under load
 * a batch takes everything that arrived while the others ran (up to 256). Each job still finishes only when its own
 * delivery is done. What a batch cannot settle (other topics, malformed payloads, a refund of an order not seen
 * yet) and everything of a batch that failed goes through DeliveryProcessor one by one, with its retries and its
 * failure logging.
 */
@Injectable()
export class DeliveryBatcher {
  private readonly logger = new Logger('DeliveryBatcher');
  private readonly batch = new MicroBatch<Pending>(BATCH_MAX, BATCH_WAIT_MS, (pending) => this.flush(pending), BATCHES_IN_FLIGHT);

  constructor(
    private readonly processor: DeliveryProcessor,
    private readonly ingestion: OrderIngestionService,
    private readonly orders: OrderWebhookHandler,
  ) {}

  /** As DeliveryProcessor.process: false when the delivery needs another try; true once it is done. */
  process(deliveryId: string, finalAttempt: boolean): Promise<boolean> {
    return new Promise((resolve, reject) => this.batch.add({ deliveryId, finalAttempt, resolve, reject }));
  }

  private flush(batch: Pending[]): Promise<void> {
    // The batch belongs to no single job: its log lines must not carry the ids of whichever job came first.
    const context = { jobId: undefined, job: 'process-delivery-batch', deliveryId: undefined, businessId: undefined, connectionId: undefined };
    // Whatever escapes run() still settles every job of the batch (a settled one ignores it), so none waits forever.
    return withLogContext(context, () => this.run(batch)).catch((error: unknown) => {
      for (const p of batch) p.reject(error);
    });
  }

  private async run(batch: Pending[]): Promise<void> {
    let deliveries: Map<string, WebhookDelivery>;
    try {
      deliveries = await this.processor.loadMany(batch.map((p) => p.deliveryId));
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    const batched: Array<{ pending: Pending; delivery: WebhookDelivery; entry: IngestEntry }> = [];
    const alone: Pending[] = [];
    for (const pending of batch) {
      const delivery = deliveries.get(pending.deliveryId);
      if (!delivery) this.processor.warnMissing(pending.deliveryId);
      if (!delivery || delivery.status === 'processed' || delivery.status === 'skipped') {
        pending.resolve(true);
        continue;
      }
      const entry = await this.entryFor(delivery).catch(() => null);
      if (entry) batched.push({ pending, delivery, entry });
      else alone.push(pending);
    }

    if (batched.length > 0) {
      try {
        const results = await this.ingestion.ingest(batched.map((b) => b.entry));
        results.forEach((result, i) => {
          if (result.outcome === 'unknown_order') {
            alone.push(batched[i].pending);
          } else {
            this.processor.countProcessed(batched[i].delivery);
            batched[i].pending.resolve(true);
          }
        });
      } catch (error) {
        this.logger.warn({ err: error, deliveries: batched.length }, 'A delivery batch failed; processing its deliveries one by one');
        await this.processor.recordFailedAttempt(batched.map((b) => b.delivery.id), error).catch(() => undefined);
        alone.push(...batched.map((b) => b.pending));
      }
    }
    await Promise.all(alone.map((p) => this.processor.process(p.deliveryId, p.finalAttempt).then(p.resolve, p.reject)));
  }

  /** An order delivery of a live connection with a readable order, or null for the one-by-one path. */
  private async entryFor(delivery: WebhookDelivery): Promise<IngestEntry | null> {
    if (!ORDER_TOPIC_SET.has(delivery.topic) || !delivery.connectionId) return null;
    const entry = await this.orders.entryFor(delivery, parseWebhookJson(delivery.payload ?? '{}'));
    return entry && { ...entry, logDetails: { queue: WEBHOOKS_QUEUE, jobId: delivery.id } };
  }
}
