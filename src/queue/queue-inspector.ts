import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { CATALOG_QUEUE } from '../ecommerce/catalog-sync/catalog-sync.constants.js';
import { HOUSEKEEPING_QUEUE } from '../ecommerce/housekeeping/housekeeping.constants.js';
import { INVENTORY_QUEUE } from '../ecommerce/inventory-sync/inventory-sync.constants.js';
import { POLLING_QUEUE } from '../ecommerce/polling/polling.constants.js';
import { WEBHOOKS_QUEUE } from '../ecommerce/webhooks/webhooks.constants.js';

/** The queues whose work must be picked up by some worker process (this one or another replica). */
export const MONITORED_QUEUES = [WEBHOOKS_QUEUE, POLLING_QUEUE, CATALOG_QUEUE, INVENTORY_QUEUE, HOUSEKEEPING_QUEUE];

export interface QueueState {
  name: string;
  /** Workers connected to the queue from any process. */
  workers: number;
  counts: { waiting: number; active: number; delayed: number; failed: number };
}

/** Reads queue sizes and connected workers from Redis, for health, status and metrics. */
@Injectable()
export class QueueInspector {
  constructor(private readonly moduleRef: ModuleRef) {}

  async state(name: string): Promise<QueueState> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    const [workers, counts, schedulers] = await Promise.all([
      queue.getWorkersCount(),
      queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
      queue.getJobSchedulersCount(),
    ]);
    return {
      name,
      workers,
      counts: {
        // Prioritized jobs are waiting too, just in another list.
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        // Each job scheduler keeps its next run as a delayed job: that is a schedule, not a backlog.
        delayed: Math.max(0, (counts.delayed ?? 0) - schedulers),
        failed: counts.failed ?? 0,
      },
    };
  }

  /** A job by id, in whichever monitored queue holds it. */
  async findJob(id: string): Promise<Job | null> {
    for (const name of MONITORED_QUEUES) {
      const job = await this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).getJob(id);
      if (job) return job;
    }
    return null;
  }

  async states(): Promise<QueueState[]> {
    return Promise.all(MONITORED_QUEUES.map((name) => this.state(name)));
  }
}

@Module({
  imports: [BullModule.registerQueue(...MONITORED_QUEUES.map((name) => ({ name })))],
  providers: [QueueInspector],
  exports: [QueueInspector],
})
export class QueueInspectionModule {}
