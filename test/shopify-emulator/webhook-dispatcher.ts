import { randomUUID } from 'node:crypto';
import { signWebhookBody } from './signing.js';
import { shopifyJson, type ShopState } from './state.js';

export interface WebhookBehaviour {
  /** Extra copies sent of each delivery (Shopify sometimes delivers the same webhook more than once). */
  duplicates: number;
  /** Whether the copies keep the original X-Shopify-Webhook-Id (a redelivery) or get new ones (a new event). */
  duplicatesKeepWebhookId: boolean;
  /** Deliveries are held this long and then sent in shuffled order. 0 sends at once. */
  reorderWindowMs: number;
  /** Every delivery waits this long before its first attempt. */
  delayMs: number;
  /** Share of deliveries never sent (0..1), and a count of the next ones dropped for sure. */
  dropRate: number;
  dropNext: number;
  /** Time a delivery may take before it counts as failed (Shopify: 5 s). */
  timeoutMs: number;
  /** Waits between attempts after a failure; Shopify's hours are compressed for tests. */
  retryScheduleMs: number[];
}

export const DEFAULT_BEHAVIOUR: WebhookBehaviour = {
  duplicates: 0,
  duplicatesKeepWebhookId: true,
  reorderWindowMs: 0,
  delayMs: 0,
  dropRate: 0,
  dropNext: 0,
  timeoutMs: 5000,
  retryScheduleMs: [200, 400, 800, 1600, 3200, 6400, 12800, 25600],
};

export interface DeliveryRecord {
  webhookId: string;
  eventId: string;
  shop: string;
  topic: string;
  uri: string;
  body: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  lastStatus: number | null;
  lastError: string | null;
}

/** Sends signed webhooks to the shop's subscriptions as Shopify does, with switches to misbehave. */
export class WebhookDispatcher {
  behaviour: WebhookBehaviour = { ...DEFAULT_BEHAVIOUR };
  readonly deliveries: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private held: DeliveryRecord[] = [];
  private reorderTimer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly secret: () => string,
    private readonly apiVersion: string,
  ) {}

  /** Queues one event for every subscription of `topic` on the shop. */
  emit(shop: ShopState, topic: string, payload: unknown): DeliveryRecord[] {
    const body = shopifyJson(payload);
    const eventId = randomUUID();
    const created: DeliveryRecord[] = [];
    for (const subscription of shop.webhookSubscriptions.values()) {
      if (subscription.topic !== topic) continue;
      const base = { eventId, shop: shop.domain, topic, uri: subscription.uri, body, attempts: 0, lastStatus: null, lastError: null };
      const copies = 1 + this.behaviour.duplicates;
      const firstId = randomUUID();
      for (let i = 0; i < copies; i++) {
        const webhookId = i === 0 || this.behaviour.duplicatesKeepWebhookId ? firstId : randomUUID();
        const record: DeliveryRecord = { ...base, webhookId, status: 'pending' };
        this.deliveries.push(record);
        created.push(record);
        if (this.shouldDrop()) {
          record.status = 'dropped';
          continue;
        }
        this.schedule(record);
      }
    }
    return created;
  }

  private shouldDrop(): boolean {
    if (this.behaviour.dropNext > 0) {
      this.behaviour.dropNext--;
      return true;
    }
    return this.behaviour.dropRate > 0 && Math.random() < this.behaviour.dropRate;
  }

  private schedule(record: DeliveryRecord): void {
    if (this.behaviour.reorderWindowMs > 0) {
      this.held.push(record);
      this.reorderTimer ??= setTimeout(() => {
        this.reorderTimer = null;
        const batch = this.held.sort(() => Math.random() - 0.5);
        this.held = [];
        for (const r of batch) this.later(r, this.behaviour.delayMs);
      }, this.behaviour.reorderWindowMs);
      return;
    }
    this.later(record, this.behaviour.delayMs);
  }

  private later(record: DeliveryRecord, ms: number): void {
    this.inFlight++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(record).finally(() => {
        this.inFlight--;
        this.checkIdle();
      });
    }, ms);
    this.timers.add(timer);
  }

  private async attempt(record: DeliveryRecord): Promise<void> {
    record.attempts++;
    try {
      const response = await fetch(record.uri, {
        method: 'POST',
        body: record.body,
        signal: AbortSignal.timeout(this.behaviour.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': record.topic,
          'x-shopify-hmac-sha256': signWebhookBody(record.body, this.secret()),
          'x-shopify-shop-domain': record.shop,
          'x-shopify-webhook-id': record.webhookId,
          'x-shopify-event-id': record.eventId,
          'x-shopify-triggered-at': new Date().toISOString(),
          'x-shopify-api-version': this.apiVersion,
        },
      });
      await response.arrayBuffer();
      record.lastStatus = response.status;
      if (response.ok) {
        record.status = 'delivered';
        return;
      }
      record.lastError = `HTTP ${response.status}`;
    } catch (error) {
      record.lastError = error instanceof Error ? error.message : String(error);
    }
    const wait = this.behaviour.retryScheduleMs[record.attempts - 1];
    if (wait === undefined) {
      record.status = 'failed';
      return;
    }
    this.later(record, wait);
  }

  /** Resolves once nothing is held, scheduled or being sent. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.held.length === 0 && this.reorderTimer === null;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    this.reorderTimer = null;
    this.held = [];
    this.inFlight = 0;
    this.checkIdle();
  }
}
