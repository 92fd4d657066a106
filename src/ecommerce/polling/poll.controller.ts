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

  /** One job id per connection: requests that arrive while a poll waits or runs join it instead of adding one. */
  @OperatorAction()
  @Post('poll')
  @HttpCode(202)
  async poll(@Body() dto: BusinessIdQueryDto): Promise<{ jobId: string }> {
    const connection = await this.connections.requireActive(dto.businessId);
    const job = await enqueueOrUnavailable(this.queue, 'the poll', () =>
      this.queue.add(POLL_JOB, { connectionId: connection.id }, { jobId: `poll-now-${connection.id}`, removeOnComplete: true, removeOnFail: true }),
    );
    return { jobId: job.id! };
  }
}
