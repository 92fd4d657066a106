import { InjectQueue, Processor } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { ScheduleKeeper } from '../../queue/schedule-keeper.js';
import { LoggedWorkerHost } from '../../queue/worker-errors.js';
import { HOUSEKEEPING_QUEUE, RETENTION_CRON, RETENTION_JOB, RETENTION_SCHEDULER_ID } from './housekeeping.constants.js';
import { RetentionService } from './retention.service.js';

/** Daily retention. One scheduler id for the whole deployment, so it runs once a day however many workers run. */
@Processor(HOUSEKEEPING_QUEUE, { concurrency: 1, lockDuration: 120_000 })
export class HousekeepingWorker extends LoggedWorkerHost implements OnModuleInit {
  constructor(
    @InjectQueue(HOUSEKEEPING_QUEUE) private readonly queue: Queue,
    private readonly retention: RetentionService,
    private readonly keeper: ScheduleKeeper,
  ) {
    super();
  }

  onModuleInit(): void {
    this.keeper.register('retention', () =>
      this.queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, { pattern: RETENTION_CRON, tz: 'UTC' }, { name: RETENTION_JOB, opts: { removeOnComplete: 30, removeOnFail: 30 } }));
  }

  protected async handle(job: Job) {
    if (job.name === RETENTION_JOB) return this.retention.run();
    return undefined;
  }
}
