import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MicroBatch } from '../../common/async/micro-batch.js';
import { PROCESS_ATTEMPTS, PROCESS_DELIVERY_JOB, WEBHOOKS_QUEUE, type ProcessDeliveryJob } from './webhooks.constants.js';

const BATCH_MAX = 200;
const BATCH_WAIT_MS = 2;

const jobOptions = (deliveryId: string) => ({
  jobId: deliveryId,
  attempts: PROCESS_ATTEMPTS,
  backoff: { type: 'exponential' as const, delay: 1000 },
  removeOnComplete: true,
  removeOnFail: 1000,
});

/** Enqueues deliveries for processing; `jobId` = delivery id, so enqueuing twice still processes once. */
@Injectable()
export class DeliveryQueue {
  private readonly logger = new Logger('DeliveryQueue');

  constructor(@InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<ProcessDeliveryJob>) {}

  private readonly batch = new MicroBatch<string>(BATCH_MAX, BATCH_WAIT_MS, (ids) => this.addBulk(ids));

  /** One at a time (a replay, the sweeper): the finished job is kept an hour so `GET /ecommerce/jobs/:id` can show it. */
  async enqueue(deliveryId: string): Promise<void> {
    await this.queue.add(PROCESS_DELIVERY_JOB, { deliveryId }, { ...jobOptions(deliveryId), removeOnComplete: { age: 3600 } });
  }

  /**
   * For the request path: never waits on Redis. Deliveries acknowledged within a couple of milliseconds of each
   * other go to Redis in one addBulk. If Redis is away the sweeper re-enqueues them from Postgres; either way
   * each delivery is already safe in the inbox.
   */
  enqueueInBackground(deliveryId: string): void {
    this.batch.add(deliveryId);
  }

  private addBulk(batch: string[]): void {
    this.queue.addBulk(batch.map((deliveryId) => ({ name: PROCESS_DELIVERY_JOB, data: { deliveryId }, opts: jobOptions(deliveryId) }))).catch((error: unknown) => {
      this.logger.warn({ deliveries: batch.length, err: error }, 'Could not enqueue deliveries; the sweeper will pick them up');
    });
  }
}
