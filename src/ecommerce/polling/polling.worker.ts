import { Processor } from '@nestjs/bullmq';
import { LoggedWorkerHost } from '../../queue/worker-errors.js';
import type { Job } from 'bullmq';
import { POLLING_QUEUE, type PollJobData } from './polling.constants.js';
import { PollRunner } from './poll-runner.service.js';

/** Scheduled and manual polls; a failed poll is already logged and retried by the next run, not by BullMQ. */
@Processor(POLLING_QUEUE, { concurrency: 4 })
export class PollingWorker extends LoggedWorkerHost {
  constructor(private readonly runner: PollRunner) {
    super();
  }

  protected async handle(job: Job<PollJobData>) {
    return this.runner.run(job.data.connectionId);
  }
}
