import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { LoggedWorkerHost } from '../../queue/worker-errors.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { CATALOG_QUEUE, COLLECTION_PUSH_JOB, PRODUCT_PUSH_JOB, type CatalogJobData } from './catalog-sync.constants.js';
import { CollectionPushService } from './collection-push.service.js';
import { ProductPushService } from './product-push.service.js';

/**
 * Catalog pushes; each is logged, so a failure is visible without BullMQ retrying a long push blindly. The lock
 * is short and renewed by the live worker every 15 s, so a push whose worker was killed is taken up again within
 * about a minute, and says so in the sync log.
 */
@Processor(CATALOG_QUEUE, { concurrency: 2, lockDuration: 30_000 })
export class CatalogWorker extends LoggedWorkerHost {
  constructor(
    private readonly products: ProductPushService,
    private readonly collections: CollectionPushService,
    private readonly syncLog: SyncLogService,
  ) {
    super();
  }

  protected async handle(job: Job<CatalogJobData>) {
    if (job.stalledCounter > 0) await this.recordResume(job);
    if (job.name === PRODUCT_PUSH_JOB) return this.products.run(job.data.businessId, (progress) => job.updateProgress({ ...progress }));
    if (job.name === COLLECTION_PUSH_JOB) return this.collections.run(job.data.businessId);
    return undefined;
  }

  private async recordResume(job: Job<CatalogJobData>): Promise<void> {
    const what = job.name === PRODUCT_PUSH_JOB ? 'Product push' : 'Collection push';
    await this.syncLog.record({
      businessId: job.data.businessId,
      type: job.name === PRODUCT_PUSH_JOB ? 'product_sync' : 'collection_sync',
      direction: 'outbound',
      status: 'failed',
      message: `${what} was interrupted (its worker stopped mid-run) and is resuming now; what was already pushed is updated, not created twice`,
      details: { queue: job.queueName, jobId: job.id, interruptions: job.stalledCounter },
    });
  }
}
