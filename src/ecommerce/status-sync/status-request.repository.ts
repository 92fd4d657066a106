import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestProgress, StatusRequest } from './status-request.entities.js';
import type { ActionBody, OpenRequest, RequestStatus, StatusAction } from './status-rules.js';

export const STATUS_DUE_CHANNEL = 'status_request_due';

export interface NewRequest {
  businessId: string;
  orderId: string;
  connectionId: string;
  provider: string;
  action: StatusAction;
  body: ActionBody;
  idempotencyKey: string | null;
  fingerprint: string;
  requestedBy: string;
}

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  outcome: 'done' | 'retry' | 'waiting' | 'failed';
  answer: Record<string, unknown>;
  error: string | null;
}

export interface RequestChange {
  status: Exclude<RequestStatus, 'sending'>;
  nextAttemptAt?: Date;
  progress?: RequestProgress;
  result?: Record<string, unknown> | null;
  lastError?: string | null;
  /** A job check, not an attempt of the action itself: it does not count against the attempts. */
  countsAsAttempt: boolean;
}

const COLUMNS = `id, business_id AS "businessId", order_id AS "orderId", connection_id AS "connectionId", provider, action, body,
  idempotency_key AS "idempotencyKey", fingerprint, requested_by AS "requestedBy", status, attempts, next_attempt_at AS "nextAttemptAt",
  progress, result, last_error AS "lastError", finished_at AS "finishedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

export type StoredRequest = Omit<StatusRequest, 'order' | 'claimId' | 'claimedUntil'>;

/**
 * `ecommerce_status_request` and `_attempt`, written only here. Requests are created inside the transaction that
 * holds the order's row lock; an attempt is bracketed by `claim` (an UPDATE only one caller wins) and `finish`
 * (which writes the attempt and the outcome only while that claim holds).
 */
@Injectable()
export class StatusRequestRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Requests of the order still to be carried out. */
  async open(manager: EntityManager, orderId: string): Promise<OpenRequest[]> {
    return manager.query(`SELECT id, action FROM ecommerce_status_request WHERE order_id = $1 AND status IN ('pending', 'sending') ORDER BY created_at`, [orderId]);
  }

  /**
   * The request this one repeats: the same Idempotency-Key, or (without a key) the same fingerprint since `since`. A
   * failed request is not repeated by its body: sending it again after fixing the cause is a new request.
   */
  async findRepeat(manager: EntityManager, orderId: string, key: string | null, fingerprint: string, since: Date): Promise<StoredRequest | null> {
    const rows: StoredRequest[] = key
      ? await manager.query(`SELECT ${COLUMNS} FROM ecommerce_status_request WHERE order_id = $1 AND idempotency_key = $2`, [orderId, key])
      : await manager.query(`SELECT ${COLUMNS} FROM ecommerce_status_request WHERE order_id = $1 AND idempotency_key IS NULL AND fingerprint = $2 AND created_at > $3 AND status <> 'failed' ORDER BY created_at DESC LIMIT 1`, [orderId, fingerprint, since]);
    return rows[0] ?? null;
  }

  /** Stores the request; the workers hear of it when the transaction commits. */
  async create(manager: EntityManager, request: NewRequest): Promise<string> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO ecommerce_status_request (business_id, order_id, connection_id, provider, action, body, idempotency_key, fingerprint, requested_by, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending') RETURNING id`,
      [request.businessId, request.orderId, request.connectionId, request.provider, request.action, JSON.stringify(request.body), request.idempotencyKey, request.fingerprint, request.requestedBy],
    );
    await manager.query('SELECT pg_notify($1, $2)', [STATUS_DUE_CHANNEL, rows[0].id]);
    return rows[0].id;
  }

  async due(limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ecommerce_status_request
       WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND claimed_until < now())
       ORDER BY next_attempt_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Wins the right to work on one request now (for `leaseMs`), or null: someone else has it, or it is not due. */
  async claim(id: string, claimId: string, leaseMs: number): Promise<StoredRequest | null> {
    const rows: StoredRequest[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE ecommerce_status_request
         SET status = 'sending', claim_id = $2, claimed_until = now() + make_interval(secs => $3), updated_at = now(),
             -- A lapsed claim's worker may have reached the shop before it died: the next attempt checks first.
             progress = CASE WHEN status = 'sending' THEN progress || '{"uncertain": true}'::jsonb ELSE progress END
         WHERE id = $1 AND ((status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND claimed_until < now()))
         RETURNING *
       ) SELECT ${COLUMNS} FROM claimed`,
      [id, claimId, leaseMs / 1000],
    );
    return rows[0] ?? null;
  }

  /**
   * The attempt and its outcome in one transaction, only while `claimId` holds the request; `alongside` (the
   * outcome's log entry) joins that transaction then, so an outcome is never stored without its entry.
   */
  async finish(id: string, claimId: string, attempt: AttemptRecord, change: RequestChange, alongside?: (manager: EntityManager) => Promise<unknown>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const updated: unknown[] = await manager.query(
        `WITH u AS (
           UPDATE ecommerce_status_request
           SET status = $3::varchar, next_attempt_at = COALESCE($4, next_attempt_at), progress = COALESCE($5, progress), result = COALESCE($6, result), last_error = $7,
               attempts = attempts + CASE WHEN $8 THEN 1 ELSE 0 END, finished_at = CASE WHEN $3::varchar IN ('done', 'failed') THEN now() ELSE NULL END,
               claim_id = NULL, claimed_until = NULL, updated_at = now()
           WHERE id = $1 AND claim_id = $2 RETURNING id
         ) SELECT id FROM u`,
        [id, claimId, change.status, change.nextAttemptAt ?? null, change.progress ? JSON.stringify(change.progress) : null, change.result ? JSON.stringify(change.result) : null, change.lastError ?? null, change.countsAsAttempt],
      );
      await manager.query(
        `INSERT INTO ecommerce_status_attempt (request_id, started_at, duration_ms, outcome, answer, error) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, attempt.startedAt, attempt.durationMs, updated.length > 0 ? attempt.outcome : `${attempt.outcome} (claim lost)`, JSON.stringify(attempt.answer), attempt.error],
      );
      if (updated.length > 0) await alongside?.(manager);
      return updated.length > 0;
    });
  }

  /** The order's requests with their attempts, oldest first, for the order timeline. */
  async forOrder(orderId: string) {
    const requests: StoredRequest[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM ecommerce_status_request WHERE order_id = $1 ORDER BY created_at`, [orderId]);
    if (requests.length === 0) return [];
    const attempts: Array<{ requestId: string; startedAt: Date; durationMs: number; outcome: string; answer: Record<string, unknown>; error: string | null }> = await this.dataSource.query(
      `SELECT request_id AS "requestId", started_at AS "startedAt", duration_ms AS "durationMs", outcome, answer, error
       FROM ecommerce_status_attempt WHERE request_id = ANY($1::uuid[]) ORDER BY started_at`,
      [requests.map((r) => r.id)],
    );
    return requests.map((r) => ({
      id: r.id,
      action: r.action,
      status: r.status === 'sending' ? 'pending' : r.status,
      body: r.body,
      requestedBy: r.requestedBy,
      idempotencyKey: r.idempotencyKey,
      attempts: r.attempts,
      lastError: r.lastError,
      result: r.result,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
      nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
      history: attempts.filter((a) => a.requestId === r.id).map(({ requestId: _r, ...a }) => a),
    }));
  }

  /** For the status view: requests still open, and those that failed in the last day. */
  async summary(businessId: string, since: Date): Promise<{ pending: number; failed: number; oldestPendingAt: Date | null; lastFailure: { id: string; orderId: string; action: string; error: string | null } | null }> {
    const [counts]: Array<{ pending: number; failed: number; oldest: Date | null }> = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS pending,
              count(*) FILTER (WHERE status = 'failed' AND finished_at > $2)::int AS failed,
              min(created_at) FILTER (WHERE status IN ('pending', 'sending')) AS oldest
       FROM ecommerce_status_request WHERE business_id = $1`,
      [businessId, since],
    );
    const [last]: Array<{ id: string; orderId: string; action: string; error: string | null }> = await this.dataSource.query(
      `SELECT id, order_id AS "orderId", action, last_error AS error FROM ecommerce_status_request
       WHERE business_id = $1 AND status = 'failed' AND finished_at > $2 ORDER BY finished_at DESC LIMIT 1`,
      [businessId, since],
    );
    return { pending: counts.pending, failed: counts.failed, oldestPendingAt: counts.oldest, lastFailure: last ?? null };
  }
}
