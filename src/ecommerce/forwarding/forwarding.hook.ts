import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { OrderIngestionService, type OrderChangeEvent } from '../orders/order-ingestion.service.js';
import type { ForwardingDestination, ForwardingEvent } from './forwarding.entities.js';
import { OrdersService } from '../orders/orders.service.js';
import { ForwardingQueries } from './forwarding.queries.js';
import { ForwardingRepository, type NewMessage } from './forwarding.repository.js';

/**
 * Turns order changes into forwarding messages inside the ingestion's transaction, so no order is ingested
 * without its messages (and none is written for an order that rolled back).
 */
@Injectable()
export class ForwardingHook implements OnModuleInit {
  constructor(
    private readonly ingestion: OrderIngestionService,
    private readonly messages: ForwardingRepository,
    private readonly orders: OrdersService,
    private readonly queries: ForwardingQueries,
  ) {}

  onModuleInit(): void {
    this.ingestion.registerChangeHook((manager, events) => this.write(manager, events));
    this.orders.addDetailSection('forwarding', (orderId) => this.queries.forOrder(orderId));
  }

  async write(manager: EntityManager, events: OrderChangeEvent[]): Promise<void> {
    const wanted = events
      .map((event) => ({ event, type: event.cause === 'placed' ? ('order.created' as const) : event.cause === 'cancelled' ? ('order.cancelled' as const) : null }))
      .filter((e): e is { event: OrderChangeEvent; type: ForwardingEvent } => e.type !== null);
    // A cancellation first seen with the order is also a placement the ERP has not had.
    for (const event of events) if (event.cause === 'placed' && event.state.cancelledAt) wanted.push({ event, type: 'order.cancelled' });
    if (wanted.length === 0) return;
    const businessIds = [...new Set(wanted.map((w) => w.event.connection.businessId))];
    const destinations: Array<Pick<ForwardingDestination, 'id' | 'businessId' | 'events'>> = await manager.query(
      // Disabled ones too: a paused destination (or one a 410 disabled) gets its backlog once enabled again.
      'SELECT id, business_id AS "businessId", events FROM ecommerce_forwarding_destination WHERE business_id = ANY($1::uuid[])',
      [businessIds],
    );
    if (destinations.length === 0) return;
    const now = new Date().toISOString();
    const messages: NewMessage[] = [];
    for (const { event, type } of wanted) {
      for (const destination of destinations) {
        if (destination.businessId !== event.connection.businessId || !destination.events.includes(type)) continue;
        const id = randomUUID();
        messages.push({ id, destinationId: destination.id, businessId: destination.businessId, orderId: event.orderId, event: type, body: body(id, type, now, event) });
      }
    }
    await this.messages.write(manager, messages);
  }
}

/** `{type, id, createdAt, order}` with the source-neutral order; `id` is the message's (the webhook-id's). */
function body(id: string, type: ForwardingEvent, createdAt: string, event: OrderChangeEvent): string {
  const { state, connection } = event;
  return JSON.stringify({
    type,
    id: `msg_${id}`,
    createdAt,
    order: {
      id: event.orderId,
      externalId: event.externalOrderId,
      number: state.name,
      source: { id: connection.id, provider: connection.provider },
      customerEmail: state.customerEmail,
      totals: state.totals,
      cancelledAt: state.cancelledAt,
      updatedAt: state.updatedAt,
      lines: state.lines.map((line) => ({ sku: line.sku, productId: line.productId, quantity: line.quantity, currentQuantity: line.currentQuantity })),
    },
  });
}
