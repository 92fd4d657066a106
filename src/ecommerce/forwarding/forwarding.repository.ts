import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ForwardingDestination, ForwardingEvent, MessageStatus } from './forwarding.entities.js';

export const DUE_CHANNEL = 'forwarding_due';

export interface NewMessage {
  id: string;
  destinationId: string;
  businessId: string;
  orderId: string;
  event: ForwardingEvent;
  body: string;
}

/** A claimed message with what its send needs. */
export interface Claimed {
  id: string;
  businessId: string;
  orderId: string;
  event: ForwardingEvent;
  body: string;
  sends: number;
  manual: boolean;
  createdAt: Date;
  destination: Pick<ForwardingDestination, 'id' | 'name' | 'url' | 'authHeaderName' | 'authHeaderValueSealed' | 'signingSecretSealed' | 'erpOrderIdPath' | 'messagePath' | 'notifyEmails' | 'timeoutSeconds' | 'enabled'>;
}

export interface AttemptRow {
  trigger: 'scheduled' | 'manual';
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  requestHeaders: Record<string, string>;
  outcome: string;
}

export interface MessageChange {
  status: Exclude<MessageStatus, 'sending'>;
  nextAttemptAt?: Date;
  erpOrderId?: string | null;
  erpMessage?: string | null;
  lastError?: string | null;
  delivered?: boolean;
}

/**
 * The forwarding tables (`ecommerce_forwarding_message`, `_attempt`), written only here. A send is bracketed by
 * `claim` and `finish`: the claim is an UPDATE that only one caller can win, and `finish` writes the attempt and
 * the outcome only while that claim still holds.
 */
@Injectable()
export class ForwardingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** In the ingestion's transaction: one message per (destination, order, event), ever; wakes the dispatchers on commit. */
  async write(manager: EntityManager, messages: NewMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    const rows: unknown[] = await manager.query(
      `INSERT INTO ecommerce_forwarding_message (id, destination_id, business_id, order_id, event, body, status)
       SELECT id, d, b, o, e, body, 'pending' FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[]) AS m(id, d, b, o, e, body)
       ON CONFLICT (destination_id, order_id, event) DO NOTHING RETURNING id`,
      [messages.map((m) => m.id), messages.map((m) => m.destinationId), messages.map((m) => m.businessId), messages.map((m) => m.orderId), messages.map((m) => m.event), messages.map((m) => m.body)],
    );
    // NOTIFY is transactional: the dispatchers hear it only if the order commits.
    if (rows.length > 0) await manager.query('SELECT pg_notify($1, $2)', [DUE_CHANNEL, String(rows.length)]);
    return rows.length;
  }

  /** Messages to send now: due ones, and claims whose worker died (the lease ran out). */
  async due(limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ecommerce_forwarding_message
       WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND claimed_until < now())
       ORDER BY next_attempt_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Wins the right to send one message now, or null (someone else has it, or it is not due). The claim lasts the
   * destination's timeout plus `marginMs`; after that a worker that died mid-send has lost it.
   */
  async claim(id: string, claimId: string, marginMs: number): Promise<Claimed | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE ecommerce_forwarding_message m
         SET status = 'sending', claim_id = $2, claimed_until = now() + make_interval(secs => d.timeout_seconds + $3), sends = sends + 1, updated_at = now()
         FROM ecommerce_forwarding_destination d
         WHERE m.id = $1 AND d.id = m.destination_id AND d.enabled
           AND ((m.status = 'pending' AND m.next_attempt_at <= now()) OR (m.status = 'sending' AND m.claimed_until < now()))
         RETURNING m.*, d.name AS d_name, d.url AS d_url, d.auth_header_name AS d_auth_name, d.auth_header_value_sealed AS d_auth_value,
                   d.signing_secret_sealed AS d_secret, d.erp_order_id_path AS d_id_path, d.message_path AS d_message_path,
                   d.notify_emails AS d_emails, d.timeout_seconds AS d_timeout, d.enabled AS d_enabled
       ) SELECT * FROM claimed`,
      [id, claimId, marginMs / 1000],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id as string,
      businessId: row.business_id as string,
      orderId: row.order_id as string,
      event: row.event as ForwardingEvent,
      body: row.body as string,
      sends: row.sends as number,
      manual: row.manual as boolean,
      createdAt: row.created_at as Date,
      destination: {
        id: row.destination_id as string,
        name: row.d_name as string,
        url: row.d_url as string,
        authHeaderName: row.d_auth_name as string | null,
        authHeaderValueSealed: row.d_auth_value as string | null,
        signingSecretSealed: row.d_secret as string,
        erpOrderIdPath: row.d_id_path as string | null,
        messagePath: row.d_message_path as string | null,
        notifyEmails: row.d_emails as string[],
        timeoutSeconds: row.d_timeout as number,
        enabled: row.d_enabled as boolean,
      },
    };
  }

  /**
   * The attempt and its outcome, in one transaction, only while `claimId` still holds the message; `alongside`
   * (the outcome's log entry) joins that transaction then, so an outcome is never stored without its entry.
   */
  async finish(messageId: string, claimId: string, attempt: AttemptRow, change: MessageChange, alongside?: (manager: EntityManager) => Promise<unknown>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // A bare UPDATE ... RETURNING comes back from TypeORM as [rows, count]: selecting from it gives the rows.
      const updated: unknown[] = await manager.query(
        `WITH u AS (
           UPDATE ecommerce_forwarding_message
           SET status = $3, next_attempt_at = COALESCE($4, next_attempt_at), erp_order_id = COALESCE($5, erp_order_id), erp_message = COALESCE($6, erp_message),
               last_error = $7, delivered_at = CASE WHEN $8 THEN now() ELSE delivered_at END, claim_id = NULL, claimed_until = NULL, manual = false, updated_at = now()
           WHERE id = $1 AND claim_id = $2 RETURNING id
         ) SELECT id FROM u`,
        [messageId, claimId, change.status, change.nextAttemptAt ?? null, change.erpOrderId ?? null, change.erpMessage ?? null, change.lastError ?? null, change.delivered ?? false],
      );
      // The claim lapsed and someone else sent it: this send's record still counts, its outcome does not.
      await manager.query(
        `INSERT INTO ecommerce_forwarding_attempt (message_id, trigger, started_at, duration_ms, status_code, error, response_excerpt, request_headers, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [messageId, attempt.trigger, attempt.startedAt, attempt.durationMs, attempt.statusCode, attempt.error, attempt.responseExcerpt, JSON.stringify(attempt.requestHeaders), updated.length > 0 ? attempt.outcome : `${attempt.outcome} (claim lost)`],
      );
      if (updated.length > 0) await alongside?.(manager);
      return updated.length > 0;
    });
  }

  /**
   * Sends again, on purpose: a held (or pending) message at once, in a new round of six sends; one already in the
   * ERP only with `force`. Never one being sent right now. Returns the ids it re-armed.
   */
  async reprocess(filter: { ids?: string[]; businessId?: string; destinationId?: string; statuses: MessageStatus[] }): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH u AS (
         UPDATE ecommerce_forwarding_message
         SET status = 'pending', next_attempt_at = now(), sends = 0, manual = true, last_error = NULL, updated_at = now()
         WHERE status = ANY($1::text[]) AND status <> 'sending'
           AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
           AND ($3::uuid IS NULL OR business_id = $3) AND ($4::uuid IS NULL OR destination_id = $4)
         RETURNING id
       ) SELECT id FROM u`,
      [filter.statuses, filter.ids ?? null, filter.businessId ?? null, filter.destinationId ?? null],
    );
    if (rows.length > 0) await this.dataSource.query('SELECT pg_notify($1, $2)', [DUE_CHANNEL, String(rows.length)]);
    return rows.map((r) => r.id);
  }

  /**
   * Messages of enabled destinations not in the ERP `olderThan` after they were written and not alerted yet, marked
   * alerted in the same statement: of several workers checking at once, each message goes to one of them.
   */
  claimOverdue(olderThan: Date): Promise<Array<{ id: string; businessId: string; destinationId: string; destinationName: string; notifyEmails: string[]; body: string; status: string; lastError: string | null }>> {
    return this.dataSource.query(
      `WITH due AS (
         SELECT m.id FROM ecommerce_forwarding_message m JOIN ecommerce_forwarding_destination d ON d.id = m.destination_id
         WHERE d.enabled AND m.status <> 'in_progress' AND m.created_at < $1 AND m.alerted_at IS NULL
         ORDER BY m.created_at LIMIT 1000 FOR UPDATE OF m SKIP LOCKED
       ), marked AS (
         UPDATE ecommerce_forwarding_message m SET alerted_at = now() FROM due WHERE m.id = due.id RETURNING m.*
       )
       SELECT marked.id, marked.business_id AS "businessId", marked.destination_id AS "destinationId", d.name AS "destinationName",
              d.notify_emails AS "notifyEmails", marked.body, marked.status, marked.last_error AS "lastError"
       FROM marked JOIN ecommerce_forwarding_destination d ON d.id = marked.destination_id
       ORDER BY marked.created_at`,
      [olderThan],
    );
  }

  /** For the status view and /metrics: undelivered messages of enabled destinations older than `olderThan`. */
  async countOverdue(olderThan: Date, businessId?: string): Promise<Array<{ businessId: string; destinationId: string; destinationName: string; count: number }>> {
    return this.dataSource.query(
      `SELECT m.business_id AS "businessId", d.id AS "destinationId", d.name AS "destinationName", count(*)::int AS count
       FROM ecommerce_forwarding_message m JOIN ecommerce_forwarding_destination d ON d.id = m.destination_id
       WHERE d.enabled AND m.status <> 'in_progress' AND m.created_at < $1 AND ($2::uuid IS NULL OR m.business_id = $2)
       GROUP BY 1, 2, 3`,
      [olderThan, businessId ?? null],
    );
  }
}
