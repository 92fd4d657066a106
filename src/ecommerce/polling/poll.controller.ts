import { randomUUID } from 'node:crypto';
import { OperatorAction } from '../../common/auth/auth.decorators.js';
import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { enqueueOrUnavailable } from '../../queue/queue-gate.js';
import { BusinessIdQueryDto } from '../connection/connection.dto.js';
import { ConnectionService } from '../connection/connection.service.js';
import { POLL_JOB, POLLING_QUEUE, type PollJobData } from './polling.constants.js';

@ApiTags('sync')
@ApiBearerAuth()
@Controller('ecommerce/sync')
export class PollController {
  constructor(
    @InjectQueue(POLLING_QUEUE) private readonly queue: Queue<PollJobData>,
    private readonly connections: ConnectionService,
  ) {}

  /**
   * Requests that arrive while a poll of the connection waits or runs join it instead of adding one (BullMQ
   * deduplication); a finished poll stays readable at its statusUrl for an hour.
   */
  @OperatorAction()
  @Post('poll')
  @HttpCode(202)
  async poll(@Body() dto: BusinessIdQueryDto): Promise<{ jobId: string; statusUrl: string }> {
    const connection = await this.connections.requireActive(dto.businessId);
    const job = await enqueueOrUnavailable(this.queue, 'the poll', () =>
      this.queue.add(POLL_JOB, { connectionId: connection.id }, { jobId: `poll-${randomUUID()}`, deduplication: { id: `poll-now-${connection.id}` }, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 86_400 } }),
    );
    return { jobId: job.id!, statusUrl: `/ecommerce/jobs/${encodeURIComponent(job.id!)}` };
  }
}
