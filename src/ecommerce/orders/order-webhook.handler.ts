import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { orderChangeFromWebhook } from '../shopify/order-mapper.js';
import { OrderIngestionService, type IngestEntry } from './order-ingestion.service.js';

const CACHE_MS = 30_000;

export interface WebhookOrderDelivery {
  id: string;
  topic: string;
  connectionId: string | null;
  shopDomain: string;
  receivedAt: Date;
}

export interface OrderDeliveryOutcome {
  status: 'processed' | 'skipped';
  note?: string;
  /** The delivery was already marked processed, in the ingestion's transaction. */
  recorded?: boolean;
}

/** orders/create, orders/updated, orders/edited, orders/paid, orders/cancelled and refunds/create land here. */
@Injectable()
export class OrderWebhookHandler {
  private readonly cache = new Map<string, { connection: EcommerceConnection; at: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ingestion: OrderIngestionService,
  ) {}

  async handle(delivery: WebhookOrderDelivery, payload: Record<string, unknown>): Promise<OrderDeliveryOutcome> {
    const entry = await this.entryFor(delivery, payload);
    if (!entry) return { status: 'skipped', note: this.skipReason(delivery) };
    const result = await this.ingestion.ingestOne(entry);
    if (result.outcome === 'unknown_order') {
      return { status: 'skipped', note: `a refund of order ${entry.change.kind === 'refund' ? entry.change.orderExternalId : '?'} not seen yet: every later version of the order carries it` };
    }
    return { status: 'processed', note: result.outcome === 'ingested' ? undefined : `${result.outcome}: order ${result.orderId}`, recorded: true };
  }

  /** The ingestion entry of an order delivery, or null when it changes nothing (orders/edited) or its connection is gone. */
  async entryFor(delivery: WebhookOrderDelivery, payload: Record<string, unknown>): Promise<IngestEntry | null> {
    const change = orderChangeFromWebhook(delivery.topic, payload);
    const connection = delivery.connectionId ? await this.connection(delivery.connectionId) : null;
    if (!change || !connection) return null;
    return { connection, change, source: 'webhook', deliveryId: delivery.id, receivedAt: delivery.receivedAt };
  }

  private skipReason(delivery: WebhookOrderDelivery): string {
    if (delivery.topic === 'orders/edited') return "an edit notice: the order's new quantities come with orders/updated and the next poll";
    return `the connection of ${delivery.shopDomain} no longer exists`;
  }

  /** Ingestion needs only the connection's ids, which never change: a short cache spares a query per delivery. */
  async connection(id: string): Promise<EcommerceConnection | null> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.connection;
    const connection = await this.dataSource.getRepository(EcommerceConnection).findOneBy({ id });
    if (connection) this.cache.set(id, { connection, at: Date.now() });
    return connection;
  }
}
