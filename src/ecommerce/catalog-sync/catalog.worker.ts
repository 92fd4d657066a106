import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { CATALOG_QUEUE, PRODUCT_PUSH_JOB, type CatalogJobData } from './catalog-sync.constants.js';
import { ProductPushService } from './product-push.service.js';

/** Catalog pushes; each is logged, so a failure is visible without BullMQ retrying a long push blindly. */
@Processor(CATALOG_QUEUE, { concurrency: 2, lockDuration: 120_000 })
export class CatalogWorker extends WorkerHost {
  constructor(private readonly products: ProductPushService) {
    super();
  }

  async process(job: Job<CatalogJobData>) {
    if (job.name === PRODUCT_PUSH_JOB) return this.products.run(job.data.businessId);
    return undefined;
  }
}
