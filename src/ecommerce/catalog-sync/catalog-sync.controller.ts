import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { BusinessIdQueryDto } from '../connection/connection.dto.js';
import { ConnectionService } from '../connection/connection.service.js';
import { CATALOG_QUEUE, PRODUCT_PUSH_JOB, type CatalogJobData } from './catalog-sync.constants.js';

@ApiTags('sync')
@ApiBearerAuth()
@Controller('ecommerce/sync')
export class CatalogSyncController {
  constructor(
    @InjectQueue(CATALOG_QUEUE) private readonly queue: Queue<CatalogJobData>,
    private readonly connections: ConnectionService,
  ) {}

  /** 202 at once; the push runs as a job and writes a `product_sync` log with its counts. */
  @Post('products')
  @HttpCode(202)
  async products(@Body() dto: BusinessIdQueryDto): Promise<{ jobId: string }> {
    await this.connections.requireActive(dto.businessId);
    const job = await this.queue.add(PRODUCT_PUSH_JOB, { businessId: dto.businessId }, { removeOnComplete: 100, removeOnFail: 100 });
    return { jobId: job.id! };
  }
}
