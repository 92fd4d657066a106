import type pg from 'pg';
import { MicroBatch } from '../../common/async/micro-batch.js';

export interface InboxRow {
  shopDomain: string;
  webhookId: string;
  topic: string;
  businessId: string | null;
  connectionId: string | null;
  eventId: string | null;
  triggeredAt: string | null;
  payload: string;
  status: 'received' | 'failed';
  lastError: string | null;
}

interface Waiting {
  row: InboxRow;
  resolve: (id: string | null) => void;
  reject: (error: unknown) => void;
}

const COLUMNS = 10;
const BATCH_MAX = 100;
const BATCH_WAIT_MS = 1;

/**
 * Writes inbox rows in small groups: deliveries that arrive within a millisecond of each other share one
 * multi-row INSERT ... ON CONFLICT DO NOTHING, so one commit (and one round trip) covers many of them. Each
 * caller still learns, after that commit, whether its own row was new (its id) or a duplicate (null).
 */
export class InboxWriter {
  private readonly batch = new MicroBatch<Waiting>(BATCH_MAX, BATCH_WAIT_MS, (waiting) => void this.write(waiting));

  constructor(private readonly pool: pg.Pool) {}

  insert(row: InboxRow): Promise<string | null> {
    return new Promise((resolve, reject) => this.batch.add({ row, resolve, reject }));
  }

  private async write(batch: Waiting[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = batch.map(({ row }, i) => {
      values.push(row.shopDomain, row.webhookId, row.topic, row.businessId, row.connectionId, row.eventId, row.triggeredAt, row.payload, row.status, row.lastError);
      return `(${Array.from({ length: COLUMNS }, (_, c) => `$${i * COLUMNS + c + 1}`).join(', ')})`;
    });
    try {
      const { rows } = await this.pool.query<{ id: string; shop_domain: string; webhook_id: string }>(
        `INSERT INTO ecommerce_webhook_delivery
           (shop_domain, webhook_id, topic, business_id, connection_id, event_id, triggered_at, payload, status, last_error)
         VALUES ${tuples.join(', ')}
         ON CONFLICT (shop_domain, webhook_id) DO NOTHING
         RETURNING id, shop_domain, webhook_id`,
        values,
      );
      const inserted = new Map(rows.map((r) => [`${r.shop_domain}\n${r.webhook_id}`, r.id]));
      for (const { row, resolve } of batch) {
        const key = `${row.shopDomain}\n${row.webhookId}`;
        // The first caller of a key gets its id; a copy in the same batch is a duplicate, like a later one.
        const id = inserted.get(key) ?? null;
        inserted.delete(key);
        resolve(id);
      }
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }
}
