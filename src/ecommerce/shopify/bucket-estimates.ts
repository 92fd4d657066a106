import { BroadcastChannel } from 'node:worker_threads';
import type { ThrottleStatus } from './retry-policy.js';

export interface BucketEstimate {
  /** The bucket as Shopify last reported it, and when that answer came in (to any thread of this process). */
  status: ThrottleStatus;
  at: number;
  /**
   * Points held by this thread's requests that are waiting to be sent or not answered yet, by ticket, in the order
   * they asked: Shopify's last answer may not have counted them, and a request waits only for those ahead of it.
   */
  reservations: Map<number, number>;
}

interface Observation {
  shop: string;
  status: ThrottleStatus;
  at: number;
}

/**
 * The cost bucket Shopify last reported for each shop, shared by every thread of this process: under ROLE=all the
 * api thread (connecting a shop registers its webhooks) and the worker thread (polls, pushes) spend the same bucket,
 * and a page sized to nearly the whole bucket is THROTTLED if it is paced by one thread's answers alone. Each answer
 * is posted on a BroadcastChannel named after the app and the Shopify it talks to; the newest reading wins.
 * Reservations stay per thread. Separate processes (ROLE=api and ROLE=worker) do not share, and rely on the retry.
 */
export class BucketEstimates {
  private readonly estimates = new Map<string, BucketEstimate>();
  private readonly channel: BroadcastChannel;

  constructor(channelName: string) {
    this.channel = new BroadcastChannel(channelName);
    this.channel.onmessage = (event) => this.adopt((event as { data: Observation }).data);
    // After the listener, which would take a reference again: the channel must not keep a thread alive.
    this.channel.unref();
  }

  get(shop: string): BucketEstimate | undefined {
    return this.estimates.get(shop);
  }

  /** This thread's answer from Shopify (a complete reading): it replaces the estimate, and the other threads hear of it. */
  observe(shop: string, status: ThrottleStatus): void {
    const at = Date.now();
    this.set(shop, status, at);
    this.channel.postMessage({ shop, status, at } satisfies Observation);
  }

  close(): void {
    this.channel.close();
  }

  /** Only `observe` posts on this channel, with a reading its caller checked was complete. */
  private adopt({ shop, status, at }: Observation): void {
    if ((this.estimates.get(shop)?.at ?? -Infinity) >= at) return;
    this.set(shop, status, at);
  }

  private set(shop: string, status: ThrottleStatus, at: number): void {
    const reservations = this.estimates.get(shop)?.reservations ?? new Map<number, number>();
    this.estimates.set(shop, { status: { ...status }, at, reservations });
  }
}
