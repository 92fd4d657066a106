import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error.js';
import { decodeCursor, encodeCursor } from '../../common/paging/cursor.js';
import type { Page } from '../../common/paging/page-query.dto.js';
import type { MessagesQueryDto } from './forwarding.dto.js';

export interface AttemptView {
  at: Date;
  trigger: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
  requestHeaders: Record<string, string>;
  outcome: string;
}

export interface MessageView {
  id: string;
  destinationId: string;
  destinationName: string;
  orderId: string;
  orderNumber: string | null;
  event: string;
  /** pending (waiting or being sent), in_progress (the ERP has it), on_hold (it gave up: reprocess). */
  status: 'pending' | 'in_progress' | 'on_hold';
  erpOrderId: string | null;
  erpMessage: string | null;
  lastError: string | null;
  sends: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
  attempts?: AttemptView[];
}

/** What support reads of forwarding: messages with their attempts, by business, destination, status or order. */
@Injectable()
export class ForwardingQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: MessagesQueryDto): Promise<Page<MessageView>> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    if (cursor && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cursor.id)) throw new DomainError('invalid', 'cursor is invalid');
    const statuses = query.status === 'pending' ? ['pending', 'sending'] : query.status ? [query.status] : null;
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `${SELECT} WHERE m.business_id = $1 AND ($2::uuid IS NULL OR m.destination_id = $2) AND ($3::text[] IS NULL OR m.status = ANY($3::text[]))
         AND ($4::timestamptz IS NULL OR (m.created_at, m.id) < ($4, $5::uuid))
       ORDER BY m.created_at DESC, m.id DESC LIMIT $6`,
      [query.businessId, query.destinationId ?? null, statuses, cursor?.at ?? null, cursor?.id ?? null, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map(messageView);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null };
  }

  async byIds(ids: string[]): Promise<MessageView[]> {
    return (await this.dataSource.query<Array<Record<string, unknown>>>(`${SELECT} WHERE m.id = ANY($1::uuid[])`, [ids])).map(messageView);
  }

  /** Every message of an order, each with its attempts: the forwarding part of the order's timeline. */
  /** Per hour since `since`: messages delivered to an ERP, and the median and 95th percentile of their delay after ingestion. */
  delayPerHour(businessId: string, since: Date): Promise<Array<{ hour: Date; count: number; p50Ms: number; p95Ms: number }>> {
    return this.dataSource.query(
      `SELECT date_trunc('hour', delivered_at) AS hour, count(*)::int AS count,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at) * 1000))::int AS "p50Ms",
              round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at) * 1000))::int AS "p95Ms"
       FROM ecommerce_forwarding_message WHERE business_id = $1 AND delivered_at >= $2 GROUP BY 1 ORDER BY 1`,
      [businessId, since],
    );
  }

  async forOrder(orderId: string): Promise<MessageView[]> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(`${SELECT} WHERE m.order_id = $1 ORDER BY m.created_at`, [orderId]);
    const messages = rows.map(messageView);
    if (messages.length === 0) return messages;
    const attempts: Array<AttemptView & { messageId: string }> = await this.dataSource.query(
      `SELECT message_id AS "messageId", started_at AS at, trigger, status_code AS "statusCode", duration_ms AS "durationMs", error,
              response_excerpt AS "responseExcerpt", request_headers AS "requestHeaders", outcome
       FROM ecommerce_forwarding_attempt WHERE message_id = ANY($1::uuid[]) ORDER BY started_at`,
      [messages.map((m) => m.id)],
    );
    return messages.map((m) => ({ ...m, attempts: attempts.filter((a) => a.messageId === m.id).map(({ messageId: _id, ...a }) => a) }));
  }
}

const SELECT = `SELECT m.id, m.destination_id, d.name AS destination_name, m.order_id, m.body::jsonb->'order'->>'number' AS order_number, m.event, m.status,
  m.erp_order_id, m.erp_message, m.last_error, m.sends, m.next_attempt_at, m.created_at, m.delivered_at
  FROM ecommerce_forwarding_message m JOIN ecommerce_forwarding_destination d ON d.id = m.destination_id`;

function messageView(row: Record<string, unknown>): MessageView {
  const status = row.status === 'sending' ? 'pending' : (row.status as MessageView['status']);
  return {
    id: row.id as string,
    destinationId: row.destination_id as string,
    destinationName: row.destination_name as string,
    orderId: row.order_id as string,
    orderNumber: row.order_number as string | null,
    event: row.event as string,
    status,
    erpOrderId: row.erp_order_id as string | null,
    erpMessage: row.erp_message as string | null,
    lastError: row.last_error as string | null,
    sends: row.sends as number,
    nextAttemptAt: status === 'pending' ? (row.next_attempt_at as Date) : null,
    createdAt: row.created_at as Date,
    deliveredAt: row.delivered_at as Date | null,
  };
}
