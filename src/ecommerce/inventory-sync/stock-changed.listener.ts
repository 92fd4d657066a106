import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { Queue } from 'bullmq';
import { StockChangedEvent } from '../../pos/stock/stock-changed.event.js';
import { INVENTORY_QUEUE, PUSH_DEBOUNCE_MS, PUSH_JOB, type InventoryJobData } from './inventory-sync.constants.js';

/**
 * After a stock change commits, asks for a push of that business in a moment. The job id names the business and
 * the second, so a burst collapses into about one job a second; a job already running never swallows a later
 * change (the next second's job picks it up), and the outbox still holds anything a lost job would have pushed.
 */
@Injectable()
export class StockChangedListener {
  private readonly logger = new Logger('StockChangedListener');
  /** The push already asked for, per business, in the current second: a burst of changes costs Redis one call. */
  private readonly requested = new Map<string, number>();

  constructor(@InjectQueue(INVENTORY_QUEUE) private readonly queue: Queue<InventoryJobData>) {}

  @OnEvent(StockChangedEvent.eventName)
  handle(event: StockChangedEvent): void {
    const slot = Math.floor(Date.now() / PUSH_DEBOUNCE_MS);
    // The slot's job runs a whole slot later, after every change of this slot: asking again adds nothing.
    if (this.requested.get(event.businessId) === slot) return;
    this.requested.set(event.businessId, slot);
    this.queue
      .add(PUSH_JOB, { businessId: event.businessId }, { jobId: `push-${event.businessId}-${slot}`, delay: PUSH_DEBOUNCE_MS, attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 100 })
      .catch((error: unknown) => {
        // Let the next change of this slot try again.
        if (this.requested.get(event.businessId) === slot) this.requested.delete(event.businessId);
        this.logger.warn({ businessId: event.businessId, err: error }, 'Could not enqueue an inventory push; the reconciliation will catch up');
      });
  }
}
