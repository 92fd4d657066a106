import { InjectQueue, Processor } from '@nestjs/bullmq';
import { ScheduleKeeper } from '../../queue/schedule-keeper.js';
import { LoggedWorkerHost } from '../../queue/worker-errors.js';
import type { OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { INVENTORY_QUEUE, PUSH_JOB, RECONCILE_EVERY_MS, RECONCILE_JOB, RECONCILE_SCHEDULER_ID, type InventoryJobData } from './inventory-sync.constants.js';
import { InventoryPushService } from './inventory-push.service.js';
import { InventoryReconciliationService } from './inventory-reconciliation.service.js';

@Processor(INVENTORY_QUEUE, { concurrency: 4 })
export class InventoryWorker extends LoggedWorkerHost implements OnModuleInit {
  constructor(
    @InjectQueue(INVENTORY_QUEUE) private readonly queue: Queue<InventoryJobData>,
    private readonly push: InventoryPushService,
    private readonly reconciliation: InventoryReconciliationService,
    private readonly keeper: ScheduleKeeper,
  ) {
    super();
  }

  onModuleInit(): void {
    this.keeper.register('inventory reconciliation', () =>
      this.queue.upsertJobScheduler(RECONCILE_SCHEDULER_ID, { every: RECONCILE_EVERY_MS }, { name: RECONCILE_JOB, data: {}, opts: { removeOnComplete: 10, removeOnFail: 50 } }));
  }

  protected async handle(job: Job<InventoryJobData>) {
    if (job.name === PUSH_JOB && job.data.businessId) return this.push.run(job.data.businessId);
    if (job.name === RECONCILE_JOB) {
      if (job.data.businessId) return this.reconciliation.reconcile(job.data.businessId);
      return this.reconciliation.reconcileAll();
    }
    return undefined;
  }
}
