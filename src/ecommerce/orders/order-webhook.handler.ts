import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { orderFromWebhook } from '../shopify/order-mapper.js';
import { OrderIngestionService } from './order-ingestion.service.js';

export interface OrderDeliveryOutcome {
  status: 'processed' | 'skipped';
  note?: string;
}

/** orders/create, orders/updated, orders/paid and orders/cancelled all land here. */
@Injectable()
export class OrderWebhookHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ingestion: OrderIngestionService,
  ) {}

  async handle(delivery: { id: string; connectionId: string | null; shopDomain: string }, payload: Record<string, unknown>): Promise<OrderDeliveryOutcome> {
    const order = orderFromWebhook(payload);
    const connection = delivery.connectionId
      ? await this.dataSource.getRepository(EcommerceConnection).findOneBy({ id: delivery.connectionId })
      : null;
    if (!connection) return { status: 'skipped', note: `the connection of ${delivery.shopDomain} no longer exists` };
    const result = await this.ingestion.ingest(connection, order, { source: 'webhook', deliveryId: delivery.id });
    return { status: 'processed', note: result.outcome === 'ingested' ? undefined : `${result.outcome}: order ${result.orderId}` };
  }
}
