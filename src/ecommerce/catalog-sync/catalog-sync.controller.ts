import { randomUUID } from 'node:crypto';
import { OperatorAction } from '../../common/auth/auth.decorators.js';
import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { jobAccepted, JobAcceptedDto } from '../../queue/job-accepted.js';
import { enqueueOrUnavailable } from '../../queue/queue-gate.js';
import { BusinessIdQueryDto } from '../connection/connection.dto.js';
import { ConnectionService } from '../connection/connection.service.js';
import { CATALOG_QUEUE, COLLECTION_PUSH_JOB, PRODUCT_PUSH_JOB, type CatalogJobData } from './catalog-sync.constants.js';

@ApiTags('sync')
@ApiBearerAuth()
@Controller('ecommerce/sync')
export class CatalogSyncController {
  constructor(
    @InjectQueue(CATALOG_QUEUE) private readonly queue: Queue<CatalogJobData>,
    private readonly connections: ConnectionService,
  ) {}

  /** 202 at once; the push runs as a job and writes a `product_sync` log with its counts. */
  @OperatorAction()
  @Post('products')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  products(@Body() dto: BusinessIdQueryDto): Promise<JobAcceptedDto> {
    return this.enqueue(PRODUCT_PUSH_JOB, dto.businessId);
  }

  /** 202 at once; categories become custom collections with their pushed products; a `collection_sync` log. */
  @OperatorAction()
  @Post('collections')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  collections(@Body() dto: BusinessIdQueryDto): Promise<JobAcceptedDto> {
    return this.enqueue(COLLECTION_PUSH_JOB, dto.businessId);
  }

  private async enqueue(name: string, businessId: string): Promise<JobAcceptedDto> {
    await this.connections.requireActive(businessId);
    const job = await enqueueOrUnavailable(this.queue, `the ${name === PRODUCT_PUSH_JOB ? 'product' : 'collection'} push`, () =>
      this.queue.add(name, { businessId }, { jobId: `${name}-${randomUUID()}`, removeOnComplete: { age: 86_400, count: 100 }, removeOnFail: { age: 86_400, count: 100 } }),
    );
    return jobAccepted(job.id);
  }
}
