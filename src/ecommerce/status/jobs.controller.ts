import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JOB_SCHEMA } from './status.schemas.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { withTimeout } from '../../common/async/with-timeout.js';
import { QueueInspector } from '../../queue/queue-inspector.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';

/** What became of a job that a 202 answer started (a poll, a catalog push): its state, progress and its sync log. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('ecommerce/jobs')
export class JobsController {
  constructor(
    private readonly queues: QueueInspector,
    private readonly syncLog: SyncLogService,
  ) {}

  @Get(':id')
  @ApiOkResponse({ schema: JOB_SCHEMA })
  @ApiOperation({ summary: "A background job's state and progress, and the sync log entries it wrote" })
  async job(@Param('id') id: string) {
    if (!/^[\w.:-]{1,200}$/.test(id)) throw new DomainError('invalid', 'id is not a job id');
    const read = () =>
      withTimeout(this.queues.findJob(id), 2000).catch(() => {
        throw new DomainError('unavailable', 'Redis (REDIS_URL) is unreachable, so job states cannot be read now');
      });
    const found = await read();
    if (!found) throw new DomainError('not_found', `Job ${id} not found: finished jobs are kept for an hour (polls) or a day (catalog pushes)`);
    const state = await found.getState();
    // A job that finished between the read and its state is read again, so that state, result and times agree.
    const job = (state === 'completed' || state === 'failed') && !found.finishedOn ? ((await read()) ?? found) : found;
    return {
      id: job.id,
      queue: job.queueName,
      name: job.name,
      state,
      progress: job.progress,
      attempts: job.attemptsMade,
      failedReason: job.failedReason ?? null,
      result: (job.returnvalue as unknown) ?? null,
      createdAt: new Date(job.timestamp),
      startedAt: job.processedOn ? new Date(job.processedOn) : null,
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
      logs: await this.syncLog.forJob(id),
    };
  }
}
