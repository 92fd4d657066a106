import { Processor } from '@nestjs/bullmq';
import { ScheduleKeeper } from '../../queue/schedule-keeper.js';
import { LoggedWorkerHost } from '../../queue/worker-errors.js';
import type { OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DeliveryBatcher } from './delivery-batcher.service.js';
import { DeliverySweeper } from './delivery-sweeper.service.js';
import { PROCESS_ATTEMPTS, PROCESS_DELIVERY_JOB, SWEEP_JOB, WEBHOOKS_QUEUE, type ProcessDeliveryJob } from './webhooks.constants.js';

/** Runs in worker processes only (ROLE=worker or all). */
// Deliveries take milliseconds: a short lock lets a crashed worker's jobs be taken over within seconds.
@Processor(WEBHOOKS_QUEUE, { concurrency: 48, lockDuration: 15_000, stalledInterval: 10_000 })
export class WebhooksWorker extends LoggedWorkerHost implements OnModuleInit {
  constructor(
    private readonly batcher: DeliveryBatcher,
    private readonly sweeper: DeliverySweeper,
    private readonly keeper: ScheduleKeeper,
  ) {
    super();
  }

  onModuleInit(): void {
    this.keeper.register('delivery sweeper', () => this.sweeper.schedule());
  }

  protected async handle(job: Job<ProcessDeliveryJob>): Promise<void> {
    if (job.name === SWEEP_JOB) {
      await this.sweeper.sweep();
      return;
    }
    if (job.name !== PROCESS_DELIVERY_JOB) return;
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? PROCESS_ATTEMPTS);
    const done = await this.batcher.process(job.data.deliveryId, finalAttempt);
    if (!done) throw new Error(`Delivery ${job.data.deliveryId} will be retried`);
  }
}
