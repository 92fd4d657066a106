import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PROCESS_ATTEMPTS, PROCESS_DELIVERY_JOB, WEBHOOKS_QUEUE, type ProcessDeliveryJob } from './webhooks.constants.js';

/** Enqueues deliveries for processing; `jobId` = delivery id, so enqueuing twice still processes once. */
@Injectable()
export class DeliveryQueue {
  private readonly logger = new Logger('DeliveryQueue');

  constructor(@InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<ProcessDeliveryJob>) {}

  async enqueue(deliveryId: string): Promise<void> {
    await this.queue.add(
      PROCESS_DELIVERY_JOB,
      { deliveryId },
      { jobId: deliveryId, attempts: PROCESS_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 },
    );
  }

  /**
   * For the request path: never waits on Redis. If Redis is away the add completes when it returns, or the
   * sweeper re-enqueues the delivery from Postgres; either way the delivery is already safe in the inbox.
   */
  enqueueInBackground(deliveryId: string): void {
    this.enqueue(deliveryId).catch((error: unknown) => {
      this.logger.warn({ deliveryId, err: error }, 'Could not enqueue the delivery; the sweeper will pick it up');
    });
  }
}
