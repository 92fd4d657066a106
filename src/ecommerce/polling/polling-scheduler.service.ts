import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { POLL_JOB, POLLING_QUEUE, pollSchedulerId, type PollJobData } from './polling.constants.js';

/**
 * One BullMQ job scheduler per active connection. `upsertJobScheduler` is keyed by `poll:<connectionId>`, so
 * connecting twice, or every replica re-asserting it at boot, still leaves exactly one schedule.
 */
@Injectable()
export class PollingScheduler {
  constructor(
    @InjectQueue(POLLING_QUEUE) private readonly queue: Queue<PollJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get intervalMs(): number {
    return Math.round(this.config.pollIntervalMinutes * 60_000);
  }

  async schedule(connectionId: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      pollSchedulerId(connectionId),
      { every: this.intervalMs },
      { name: POLL_JOB, data: { connectionId }, opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
  }

  /**
   * A poll now. Requests that arrive while a poll of the connection waits or runs join it (BullMQ deduplication);
   * a finished poll stays readable at GET /ecommerce/jobs/:id for an hour.
   */
  pollNow(connectionId: string) {
    return this.queue.add(POLL_JOB, { connectionId }, {
      jobId: `poll-${randomUUID()}`,
      deduplication: { id: `poll-now-${connectionId}` },
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 86_400 },
    });
  }

  async unschedule(connectionId: string): Promise<void> {
    await this.queue.removeJobScheduler(pollSchedulerId(connectionId));
  }

  async describe(connectionId: string): Promise<{ exists: boolean; nextRunAt: Date | null; everyMs: number | null }> {
    const scheduler = await this.queue.getJobScheduler(pollSchedulerId(connectionId));
    if (!scheduler) return { exists: false, nextRunAt: null, everyMs: null };
    return { exists: true, nextRunAt: scheduler.next ? new Date(scheduler.next) : null, everyMs: scheduler.every ? Number(scheduler.every) : null };
  }
}
