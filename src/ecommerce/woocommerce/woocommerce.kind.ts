import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../common/errors/domain-error.js';
import { MalformedOrderError, type Order, type OrderChange } from '../orders/order.js';
import { verifySignature } from '../signed-webhook/signature.js';
import type { OrderSourceEntity } from '../sources/order-source.entity.js';
import { SourceRepository } from '../sources/source.repository.js';
import { deliveryKey, sourceTopic, type Received, type SourceKind, type SourceRequest } from '../sources/source-kind.js';
import { WooCommerceClient, type WooStore } from './woocommerce.client.js';
import { hasRefunds, orderFromWoo, refundedQuantities } from './woo-order-mapper.js';

/** An order a poll saw but could not read. */
export interface PolledFailure {
  externalId: string;
  error: string;
}

export const WOO_EVENTS = ['created', 'updated', 'deleted', 'restored'] as const;
const SIGNATURE = { header: 'X-WC-Webhook-Signature', algorithm: 'sha256', encoding: 'base64' } as const;

export interface WooConfig {
  storeUrl: string;
  webhookIds?: number[];
}

/**
 * WooCommerce stores (class-wc-webhook.php): base64 HMAC-SHA256 of the raw body in X-WC-Webhook-Signature, an
 * unsigned form-encoded ping when a webhook is created, no retries (polling is the safety net), and a delivery id
 * that is not unique, so deliveries are told apart by order id and date_modified_gmt.
 */
@Injectable()
export class WooCommerceKind implements SourceKind {
  readonly provider = 'woocommerce' as const;

  constructor(
    private readonly client: WooCommerceClient,
    private readonly sources: SourceRepository,
  ) {}

  store(source: OrderSourceEntity): WooStore {
    const { consumerKey, consumerSecret } = this.sources.credentialsOf(source);
    return { storeUrl: (source.config as unknown as WooConfig).storeUrl, consumerKey, consumerSecret };
  }

  receive(_source: OrderSourceEntity, secret: string, request: SourceRequest): Received {
    const signature = request.headers['x-wc-webhook-signature'];
    // The ping WooCommerce sends when a webhook is created: unsigned, form-encoded; anything but 200 disables the webhook.
    if (!signature && /^webhook_id=\d+$/.test(request.body.toString('utf8').trim())) return { kind: 'ping' };
    if (!verifySignature(request.body, signature, secret, SIGNATURE)) {
      throw new DomainError('unauthenticated', signature ? 'X-WC-Webhook-Signature does not match the body' : 'Missing X-WC-Webhook-Signature header');
    }
    const topic = request.headers['x-wc-webhook-topic'] ?? '';
    const event = /^order\.(created|updated|deleted|restored)$/.exec(topic)?.[1];
    if (!event) throw new DomainError('unprocessable', `X-WC-Webhook-Topic ${topic || '(missing)'} is not an order topic this source handles`);
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new DomainError('unprocessable', 'the body is not JSON');
    }
    const id = payload?.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new DomainError('unprocessable', 'id is missing');
    // Every delivery is stored. WooCommerce never redelivers, and nothing in a delivery tells a repeat from news:
    // X-WC-Webhook-Delivery-ID repeats within a second, and date_modified_gmt has whole seconds, so an order set
    // back and forth within one second sends the same bytes twice as two real versions. Repeats are harmless: the
    // ingestion keeps each order once and a version that says nothing new changes nothing.
    const version = `${event === 'deleted' ? 'deleted' : String(payload.date_modified_gmt)}:${randomUUID()}`;
    return { kind: 'delivery', webhookId: deliveryKey(String(id), version), topic: sourceTopic(this.provider, event) };
  }

  async changeFor(source: OrderSourceEntity, topic: string, payload: Record<string, unknown>, receivedAt: Date): Promise<OrderChange> {
    const store = this.store(source);
    let body = payload;
    if (topic.endsWith('/deleted')) {
      // A deletion carries only the id: the order as the store has it now (`trash`, or restored since) says
      // which lines go back to stock.
      const id = typeof payload.id === 'number' ? String(payload.id) : null;
      if (!id) throw new MalformedOrderError('id is missing');
      const trashed = await this.client.order(store, id);
      if (!trashed) {
        throw new DomainError('unprocessable', `order ${id} was deleted permanently from ${store.storeUrl}, so its lines cannot be read: return its stock by hand`);
      }
      body = trashed;
    }
    const order = await this.read(store, body);
    // Trashing an order need not change its modified date: the deletion is as new as its delivery, in the store's
    // whole seconds, so that a restore within the same second is not taken for an older version.
    const deletedAt = new Date(Math.floor(receivedAt.getTime() / 1000) * 1000);
    return { kind: 'version', order: topic.endsWith('/deleted') ? { ...order, updatedAt: deletedAt } : order };
  }

  /** The orders modified since `since`, a page at a time (X-WP-TotalPages), oldest first; an unreadable one is a failure of its own. */
  async *pages(source: OrderSourceEntity, since: Date): AsyncGenerator<Array<Order | PolledFailure>> {
    const store = this.store(source);
    for (let page = 1, total = 1; page <= total; page++) {
      const answer = await this.client.ordersPage(store, since, page);
      total = answer.totalPages;
      const orders: Array<Order | PolledFailure> = [];
      for (const payload of answer.orders) {
        orders.push(await this.read(store, payload).catch((error: unknown) => ({ externalId: String(payload.id), error: (error as Error).message })));
      }
      yield orders;
    }
  }

  /** The order as the store has it now (with its refunds' lines), or null when the store no longer has it. */
  async orderNow(source: OrderSourceEntity, id: string): Promise<Order | null> {
    const store = this.store(source);
    const payload = await this.client.order(store, id);
    return payload ? this.read(store, payload) : null;
  }

  private async read(store: WooStore, payload: Record<string, unknown>): Promise<Order> {
    const refunded = hasRefunds(payload) ? refundedQuantities(await this.client.refunds(store, String(payload.id))) : new Map<string, number>();
    return orderFromWoo(payload, refunded);
  }
}
