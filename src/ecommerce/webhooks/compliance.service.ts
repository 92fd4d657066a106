import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EcommerceConnection } from '../connection/ecommerce-connection.entity.js';
import { IngestedOrderRepository } from '../orders/ingested-order.repository.js';
import { PollingScheduler } from '../polling/polling-scheduler.service.js';

export interface ComplianceOutcome {
  message: string;
  details: Record<string, unknown>;
}

interface RedactPayload {
  customer?: { id?: number; email?: string };
  orders_to_redact?: Array<number | string>;
  orders_requested?: Array<number | string>;
}

/**
 * Shopify's mandatory privacy topics. What we hold about a shop's customers is the raw order payloads in the
 * webhook inbox and the buyer's e-mail on ingested orders; these answer and erase exactly that.
 */
@Injectable()
export class ComplianceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly polling: PollingScheduler,
    private readonly orders: IngestedOrderRepository,
  ) {}

  async dataRequest(shop: string, payload: RedactPayload): Promise<ComplianceOutcome> {
    const orderIds = (payload.orders_requested ?? []).map(String);
    const deliveries = await this.deliveriesForOrders(shop, orderIds);
    return {
      message: `Data request for customer ${payload.customer?.id ?? 'unknown'} of ${shop}: ${deliveries.length} stored webhook payloads concern the ${orderIds.length} requested orders; send them to the merchant if asked`,
      details: { customerId: payload.customer?.id ?? null, ordersRequested: orderIds, deliveryIds: deliveries },
    };
  }

  async redactCustomer(shop: string, payload: RedactPayload): Promise<ComplianceOutcome> {
    const orderIds = (payload.orders_to_redact ?? []).map(String);
    const deliveries = await this.deliveriesForOrders(shop, orderIds);
    return this.dataSource.transaction(async (manager) => {
      if (deliveries.length > 0) {
        await manager.query('UPDATE ecommerce_webhook_delivery SET payload = NULL WHERE id = ANY($1::uuid[])', [deliveries]);
      }
      const connectionIds = (await manager.getRepository(EcommerceConnection).findBy({ shopDomain: shop })).map((c) => c.id);
      const erasedEmails = await this.orders.forgetCustomerEmail(manager, connectionIds, { externalOrderIds: orderIds, email: payload.customer?.email });
      return {
        message: `Redacted customer ${payload.customer?.id ?? 'unknown'} of ${shop}: erased ${deliveries.length} stored webhook payloads of ${orderIds.length} orders and the e-mail on ${erasedEmails} ingested orders`,
        details: { customerId: payload.customer?.id ?? null, ordersToRedact: orderIds, erasedDeliveries: deliveries.length, erasedEmails },
      };
    });
  }

  /** 48 hours after an uninstall: forget the shop entirely (its connection and every stored payload). */
  async redactShop(shop: string, keepDeliveryId: string): Promise<ComplianceOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const connections = await manager.getRepository(EcommerceConnection).findBy({ shopDomain: shop });
      for (const connection of connections) await this.polling.unschedule(connection.id);
      // The orders stay (they moved POS stock); who bought them does not.
      const erasedEmails = await this.orders.forgetCustomerEmail(manager, connections.map((c) => c.id), {});
      const removedConnections = connections.length
        ? (await manager.getRepository(EcommerceConnection).delete(connections.map((c) => c.id))).affected ?? 0
        : 0;
      const removedDeliveries: unknown[] = await manager.query(
        // Through a CTE: a bare DELETE ... RETURNING comes back from TypeORM as [rows, count].
        'WITH d AS (DELETE FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND id <> $2 RETURNING id) SELECT id FROM d',
        [shop, keepDeliveryId],
      );
      await manager.query('UPDATE ecommerce_webhook_delivery SET payload = NULL WHERE id = $1', [keepDeliveryId]);
      return {
        message: `Redacted shop ${shop}: deleted ${removedConnections} connection(s) and ${removedDeliveries.length} stored webhook deliveries, and erased the e-mail on ${erasedEmails} ingested orders`,
        details: { removedConnections, removedDeliveries: removedDeliveries.length, erasedEmails },
      };
    });
  }

  private async deliveriesForOrders(shop: string, orderIds: string[]): Promise<string[]> {
    if (orderIds.length === 0) return [];
    const rows: Array<{ id: string; payload: string }> = await this.dataSource.query(
      `SELECT id, payload FROM ecommerce_webhook_delivery WHERE shop_domain = $1 AND topic LIKE 'orders/%' AND payload IS NOT NULL`,
      [shop],
    );
    const wanted = new Set(orderIds);
    return rows
      .filter((row) => {
        try {
          return wanted.has(String((JSON.parse(row.payload) as { id?: unknown }).id));
        } catch {
          return false;
        }
      })
      .map((row) => row.id);
  }
}
