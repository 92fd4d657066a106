import { OperatorAction } from '../../common/auth/auth.decorators.js';
import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { jobAccepted, JobAcceptedDto } from '../../queue/job-accepted.js';
import { enqueueOrUnavailable } from '../../queue/queue-gate.js';
import { BusinessIdQueryDto } from '../connection/connection.dto.js';
import { ConnectionService } from '../connection/connection.service.js';
import { PollingScheduler } from './polling-scheduler.service.js';
import { POLLING_QUEUE, type PollJobData } from './polling.constants.js';

@ApiTags('sync')
@ApiBearerAuth()
@Controller('ecommerce/sync')
export class PollController {
  constructor(
    @InjectQueue(POLLING_QUEUE) private readonly queue: Queue<PollJobData>,
    private readonly connections: ConnectionService,
    private readonly scheduler: PollingScheduler,
  ) {}

  /** A poll now (one at a time per connection: see PollingScheduler.pollNow). */
  @OperatorAction()
  @Post('poll')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  async poll(@Body() dto: BusinessIdQueryDto): Promise<JobAcceptedDto> {
    const connection = await this.connections.requireActive(dto.businessId);
    const job = await enqueueOrUnavailable(this.queue, 'the poll', () => this.scheduler.pollNow(connection.id));
    return jobAccepted(job.id);
  }
}
