import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { decodeCursor, toPage } from '../../common/paging/cursor.js';
import type { Page } from '../../common/paging/page-query.dto.js';
import { IngestedOrder } from './ingested-order.entity.js';

export interface OrderView {
  id: string;
  externalOrderId: string;
  orderNumber: string;
  source: IngestedOrder['source'];
  status: IngestedOrder['status'];
  ingestedAt: Date;
  lines: Array<{ sku: string | null; productId: string | null; quantity: number }>;
}

export const orderView = (order: IngestedOrder): OrderView => ({
  id: order.id,
  externalOrderId: order.externalOrderId,
  orderNumber: order.orderNumber,
  source: order.source,
  status: order.status,
  ingestedAt: order.ingestedAt,
  lines: order.lines.map(({ sku, productId, quantity }) => ({ sku, productId, quantity })),
});

@Injectable()
export class OrdersService {
  constructor(@InjectRepository(IngestedOrder) private readonly orders: Repository<IngestedOrder>) {}

  async list(businessId: string, limit: number, cursor?: string): Promise<Page<OrderView>> {
    const query = this.orders
      .createQueryBuilder('o')
      .where('o.businessId = :businessId', { businessId })
      .orderBy('o.ingestedAt', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .take(limit + 1);
    if (cursor) {
      const { at, id } = decodeCursor(cursor);
      query.andWhere(new Brackets((q) => q.where('o.ingestedAt < :at', { at: new Date(at) }).orWhere('o.ingestedAt = :at AND o.id < :id', { at: new Date(at), id })));
    }
    return toPage(await query.getMany(), limit, (o) => ({ at: o.ingestedAt.toISOString(), id: o.id }), orderView);
  }
}
