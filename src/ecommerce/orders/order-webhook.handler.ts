import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { orderFromWebhook } from '../shopify/order-mapper.js';
import { OrderIngestionService } from './order-ingestion.service.js';

const CACHE_MS = 30_000;

export interface OrderDeliveryOutcome {
  status: 'processed' | 'skipped';
  note?: string;
  /** The delivery was already marked processed, in the ingestion's transaction. */
  recorded?: boolean;
}

/** orders/create, orders/updated, orders/paid and orders/cancelled all land here. */
@Injectable()
export class OrderWebhookHandler {
  private readonly cache = new Map<string, { connection: EcommerceConnection; at: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ingestion: OrderIngestionService,
  ) {}

  async handle(delivery: { id: string; connectionId: string | null; shopDomain: string }, payload: Record<string, unknown>): Promise<OrderDeliveryOutcome> {
    const order = orderFromWebhook(payload);
    const connection = delivery.connectionId ? await this.connection(delivery.connectionId) : null;
    if (!connection) return { status: 'skipped', note: `the connection of ${delivery.shopDomain} no longer exists` };
    const result = await this.ingestion.ingest(connection, order, { source: 'webhook', deliveryId: delivery.id, markDeliveryProcessed: true });
    return { status: 'processed', note: result.outcome === 'ingested' ? undefined : `${result.outcome}: order ${result.orderId}`, recorded: true };
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
