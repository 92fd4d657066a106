import { Processor } from '@nestjs/bullmq';
import { LoggedWorkerHost } from '../../queue/worker-errors.js';
import type { Job } from 'bullmq';
import { CATALOG_QUEUE, COLLECTION_PUSH_JOB, PRODUCT_PUSH_JOB, type CatalogJobData } from './catalog-sync.constants.js';
import { CollectionPushService } from './collection-push.service.js';
import { ProductPushService } from './product-push.service.js';

/** Catalog pushes; each is logged, so a failure is visible without BullMQ retrying a long push blindly. */
@Processor(CATALOG_QUEUE, { concurrency: 2, lockDuration: 120_000 })
export class CatalogWorker extends LoggedWorkerHost {
  constructor(
    private readonly products: ProductPushService,
    private readonly collections: CollectionPushService,
  ) {
    super();
  }

  protected async handle(job: Job<CatalogJobData>) {
    if (job.name === PRODUCT_PUSH_JOB) return this.products.run(job.data.businessId);
    if (job.name === COLLECTION_PUSH_JOB) return this.collections.run(job.data.businessId);
    return undefined;
  }
}
