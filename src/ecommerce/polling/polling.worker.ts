import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { POLLING_QUEUE, type PollJobData } from './polling.constants.js';
import { PollRunner } from './poll-runner.service.js';

/** Scheduled and manual polls; a failed poll is already logged and retried by the next run, not by BullMQ. */
@Processor(POLLING_QUEUE, { concurrency: 4 })
export class PollingWorker extends WorkerHost {
  constructor(private readonly runner: PollRunner) {
    super();
  }

  async process(job: Job<PollJobData>) {
    return this.runner.run(job.data.connectionId);
  }
}
