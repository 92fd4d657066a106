import { DomainError } from '../../common/errors/domain-error.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { newestFirst, toPage } from '../../common/paging/cursor.js';
import type { Page } from '../../common/paging/page-query.dto.js';
import { ProductsService } from '../../pos/products/products.service.js';
import { StockService } from '../../pos/stock/stock.service.js';
import { SyncLogService } from '../sync-log/sync-log.service.js';
import { InboxRepository } from '../webhooks/inbox.repository.js';
import { IngestedOrder } from './ingested-order.entity.js';
import { normalizeEmail } from './order.js';
import type { OrdersQueryDto } from './orders.dto.js';

export interface OrderView {
  id: string;
  externalOrderId: string;
  orderNumber: string;
  source: IngestedOrder['source'];
  /** The source the order came from: its id (a Shopify connection or a source of GET /ecommerce/sources) and kind. */
  sourceId: string;
  provider: string;
  status: IngestedOrder['status'];
  customerEmail: string | null;
  ingestedAt: Date;
  lines: Array<{ sku: string | null; productId: string | null; quantity: number; currentQuantity: number }>;
}

export const orderView = (order: IngestedOrder): OrderView => ({
  id: order.id,
  externalOrderId: order.externalOrderId,
  orderNumber: order.orderNumber,
  source: order.source,
  sourceId: order.connectionId,
  provider: order.provider,
  status: order.status,
  customerEmail: order.customerEmail,
  ingestedAt: order.ingestedAt,
  lines: order.lines.map(({ sku, productId, quantity, currentQuantity }) => ({ sku, productId, quantity, currentQuantity })),
});

export type OrderFilters = Pick<OrdersQueryDto, 'sourceId' | 'status' | 'from' | 'to' | 'forwarding'>;

/** A part of the order timeline that another module owns (forwarding to ERPs), keyed by its name in the answer. */
export type DetailSection = (orderId: string) => Promise<unknown>;

@Injectable()
export class OrdersService {
  private readonly sections = new Map<string, DetailSection>();

  constructor(
    @InjectRepository(IngestedOrder) private readonly orders: Repository<IngestedOrder>,
    private readonly products: ProductsService,
    private readonly stock: StockService,
    private readonly inbox: InboxRepository,
    private readonly syncLog: SyncLogService,
  ) {}

  addDetailSection(name: string, section: DetailSection): void {
    this.sections.set(name, section);
  }

  /** The order's timeline for support: lines and their products, stock movements, and the deliveries and polls that saw it. */
  async detail(id: string) {
    const order = await this.orders.findOneBy({ id });
    if (!order) throw new DomainError('not_found', `Order ${id} not found`);
    const ext = order.externalOrderId;
    const productIds = order.lines.map((l) => l.productId).filter((p): p is string => p !== null);
    const byId = new Map((await this.products.summaries(productIds)).map((p) => [p.id, p]));
    // References before the order lifecycle had no connection in them; both kinds belong to this order.
    const movements = await this.stock.movementsByReference(order.businessId, [`order:${order.connectionId}:${ext}:`, `order:${ext}:`, `cancel:${ext}:`]);
    const deliveries = await this.inbox.forOrder(order.connectionId, ext);
    const { logs, polls } = await this.syncLog.forOrder(order.businessId, ext);
    return {
      ...orderView(order),
      businessId: order.businessId,
      cancelledAt: order.cancelledAt,
      /** The newest version seen, by the source's clock (never later than when it reached us). */
      updatedAt: order.externalUpdatedAt,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus,
      refunds: order.refunds,
      lines: order.lines.map((line) => ({
        sku: line.sku,
        variantId: line.variantId,
        quantity: line.quantity,
        productId: line.productId,
        product: line.productId ? (byId.get(line.productId) ?? null) : null,
        currentQuantity: line.currentQuantity,
        unfulfilledQuantity: line.unfulfilledQuantity ?? null,
        held: line.held,
      })),
      stockMovements: movements,
      deliveries,
      polls,
      logs,
      ...Object.fromEntries(await Promise.all([...this.sections].map(async ([name, section]) => [name, await section(order.id)] as const))),
    };
  }

  /**
   * Newest first; `q` finds an order by its number (with or without '#'), the source's order id, a line's SKU, or
   * the buyer's e-mail (any case).
   */
  async list(businessId: string, limit: number, cursor?: string, q?: string, filters: OrderFilters = {}): Promise<Page<OrderView>> {
    const query = this.orders.createQueryBuilder('o').where('o.businessId = :businessId', { businessId });
    if (filters.sourceId) query.andWhere('o.connectionId = :sourceId', { sourceId: filters.sourceId });
    if (filters.status) query.andWhere('o.status = :status', { status: filters.status });
    if (filters.from) query.andWhere('o.ingestedAt >= :from', { from: filters.from });
    if (filters.to) query.andWhere('o.ingestedAt < :to', { to: filters.to });
    if (filters.forwarding) {
      // A read-only filter on the forwarding table (which forwarding alone writes), per order of this page's business.
      const forwarded = 'SELECT 1 FROM ecommerce_forwarding_message m WHERE m.order_id = o.id';
      if (filters.forwarding === 'none') query.andWhere(`NOT EXISTS (${forwarded})`);
      else query.andWhere(`EXISTS (${forwarded} AND m.status = ANY(:forwardingStatuses))`, { forwardingStatuses: filters.forwarding === 'pending' ? ['pending', 'sending'] : [filters.forwarding] });
    }
    const term = q?.trim();
    if (term) {
      const number = term.replace(/^#/, '');
      const email = normalizeEmail(term);
      query.andWhere(
        `(o.orderNumber IN (:...numbers) OR o.externalOrderId = :term OR o.lines @> jsonb_build_array(jsonb_build_object('sku', :term::text))${email ? ' OR o.customerEmail = :email' : ''})`,
        { numbers: [`#${number}`, number], term, email },
      );
    }
    newestFirst(query, 'o', 'ingested_at', limit, cursor);
    return toPage(await query.getMany(), limit, (o) => ({ at: o.ingestedAt.toISOString(), id: o.id }), orderView);
  }
}
