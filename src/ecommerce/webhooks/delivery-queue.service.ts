import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MicroBatch } from '../../common/async/micro-batch.js';
import { WORKER_THREAD } from '../../runtime/runtime.module.js';
import type { WorkerThreadHandle } from '../../runtime/worker-supervisor.js';
import { PROCESS_ATTEMPTS, PROCESS_DELIVERY_JOB, WEBHOOKS_QUEUE, type ProcessDeliveryJob } from './webhooks.constants.js';

const BATCH_MAX = 200;
const BATCH_WAIT_MS = 2;
const RETRY_AFTER_MS = 1000;

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

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<ProcessDeliveryJob>,
    @Inject(WORKER_THREAD) private readonly thread: WorkerThreadHandle | null,
  ) {}

  private readonly batch = new MicroBatch<string>(BATCH_MAX, BATCH_WAIT_MS, (ids) => this.addBulk(ids));

  /** One at a time (a replay, the sweeper): the finished job is kept an hour so `GET /ecommerce/jobs/:id` can show it. */
  async enqueue(deliveryId: string): Promise<void> {
    await this.queue.add(PROCESS_DELIVERY_JOB, { deliveryId }, { ...jobOptions(deliveryId), removeOnComplete: { age: 3600 } });
  }

  /** A delivery that failed a first try outside the queue (DeliveryHandoff): a job of its own, after a pause. */
  retryLater(deliveryId: string): void {
    this.queue.add(PROCESS_DELIVERY_JOB, { deliveryId }, { ...jobOptions(deliveryId), delay: RETRY_AFTER_MS }).catch((error: unknown) => {
      this.logger.warn({ deliveryId, err: error }, 'Could not enqueue a delivery for its retry; the sweeper will pick it up');
    });
  }

  /**
   * For the request path: never waits on Redis. Deliveries acknowledged within a couple of milliseconds of each
   * other go to Redis in one addBulk, or under ROLE=all straight to this process's worker thread (DeliveryHandoff),
   * which saves two Redis round trips per delivery on both sides. If Redis or the thread is away the sweeper
   * re-enqueues them from Postgres; either way each delivery is already safe in the inbox.
   */
  enqueueInBackground(deliveryId: string): void {
    this.batch.add(deliveryId);
  }

  private addBulk(batch: string[]): void {
    if (this.thread?.handOff(batch)) return;
    this.queue.addBulk(batch.map((deliveryId) => ({ name: PROCESS_DELIVERY_JOB, data: { deliveryId }, opts: jobOptions(deliveryId) }))).catch((error: unknown) => {
      this.logger.warn({ deliveries: batch.length, err: error }, 'Could not enqueue deliveries; the sweeper will pick them up');
    });
  }
}
