import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DeliveryQueue } from './delivery-queue.service.js';
import { SWEEP_AFTER_MS, SWEEP_EVERY_MS, SWEEP_JOB, SWEEP_SCHEDULER_ID, WEBHOOKS_QUEUE } from './webhooks.constants.js';

const SWEEP_BATCH = 1000;

/** Re-enqueues deliveries stored but never processed (their job was lost while Redis or a worker was down). */
@Injectable()
export class DeliverySweeper {
  private readonly logger = new Logger('DeliverySweeper');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    private readonly deliveries: DeliveryQueue,
  ) {}

  async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: SWEEP_EVERY_MS }, { name: SWEEP_JOB, opts: { removeOnComplete: 10, removeOnFail: 50 } });
  }

  async sweep(olderThanMs = SWEEP_AFTER_MS): Promise<number> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ecommerce_webhook_delivery
       WHERE status = 'received' AND received_at < now() - make_interval(secs => $1)
       ORDER BY received_at LIMIT $2`,
      [olderThanMs / 1000, SWEEP_BATCH],
    );
    for (const { id } of rows) await this.deliveries.enqueue(id);
    if (rows.length > 0) this.logger.warn({ count: rows.length }, 'Re-enqueued deliveries that were stored but never processed');
    return rows.length;
  }
}
