import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DeliveryBatcher } from './delivery-batcher.service.js';
import { DeliveryQueue } from './delivery-queue.service.js';

/** Enough in the batcher to fill both of its batches in flight (256 each): it is the batcher that bounds the work. */
const IN_FLIGHT = 512;
/**
 * Beyond this many waiting, new deliveries go to the queue: memory stays bounded (an id each) when processing falls
 * behind, and a burst of a few seconds still takes the fast path.
 */
const MAX_WAITING = 20_000;

/**
 * The worker thread's side of DeliveryQueue's hand-off under ROLE=all: processes the deliveries the api side just
 * stored, through DeliveryBatcher as a queue job would, without their two trips through Redis. What needs another
 * try goes to the queue, with its retries and backoff. Nothing is held only here: every delivery is `received` in
 * Postgres until processed, so those lost with the thread are re-enqueued by the sweeper.
 */
@Injectable()
export class DeliveryHandoff implements OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryHandoff');
  private readonly waiting: string[] = [];
  private inFlight = 0;
  private idle: (() => void) | null = null;
  private closing = false;

  constructor(
    private readonly batcher: DeliveryBatcher,
    private readonly queue: DeliveryQueue,
  ) {}

  take(deliveryIds: string[]): void {
    const room = this.closing ? 0 : Math.max(0, MAX_WAITING - this.waiting.length);
    this.waiting.push(...deliveryIds.slice(0, room));
    for (const id of deliveryIds.slice(room)) this.queue.enqueueInBackground(id);
    this.pump();
  }

  /** Lets the deliveries in hand finish; those not started yet are left to the sweeper. */
  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.waiting.length = 0;
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.inFlight++;
      void this.processOne(id).finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) this.idle?.();
        this.pump();
      });
    }
  }

  private async processOne(deliveryId: string): Promise<void> {
    try {
      if (await this.batcher.process(deliveryId, false)) return;
    } catch (error) {
      this.logger.warn({ err: error, deliveryId }, 'A handed-off delivery failed; it is retried from the queue');
    }
    this.queue.retryLater(deliveryId);
  }
}
