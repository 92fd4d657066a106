import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { currentLogContext } from '../../common/logging/log-context.js';
import { newestFirst, toPage } from '../../common/paging/cursor.js';
import type { Page } from '../../common/paging/page-query.dto.js';
import { SyncLog, type SyncDirection, type SyncStatus, type SyncType } from './sync-log.entity.js';

export interface SyncLogEntry {
  businessId?: string | null;
  connectionId?: string | null;
  type: SyncType;
  direction: SyncDirection;
  status: SyncStatus;
  processed?: number;
  failed?: number;
  message: string;
  details?: Record<string, unknown>;
  startedAt?: Date;
  finishedAt?: Date;
}

export interface SyncLogFilter {
  businessId?: string;
  type?: SyncType;
  status?: SyncStatus;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

/** The outcome of a run over many items: stopped early or nothing went through is failed, some failures partial. */
export function runStatus(stoppedEarly: boolean, processed: number, failed: number): SyncStatus {
  if (stoppedEarly) return 'failed';
  if (failed === 0) return 'success';
  return processed > failed ? 'partial' : 'failed';
}

/** An entry written while a queue job runs names the job, so support can follow it to the queue. */
function jobLink(): Record<string, unknown> {
  const { queue, jobId } = currentLogContext();
  return jobId === undefined ? {} : { queue, jobId };
}

const LINKED_IDS = ['deliveryId', 'orderId', 'jobId', 'pollRunId'] as const;

/** The ids an entry links to, for its log line (a batch writes entries for many deliveries at once). */
function idsIn(details: Record<string, unknown>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const field of LINKED_IDS) if (typeof details[field] === 'string') ids[field] = details[field];
  return ids;
}

export type SyncLogView = Omit<SyncLog, 'connectionId'>;

@Injectable()
export class SyncLogService {
  private readonly logger = new Logger('SyncLog');

  constructor(@InjectRepository(SyncLog) private readonly logs: Repository<SyncLog>) {}

  /** Writes one entry; pass the transaction's manager to make the entry part of the work it describes. */
  async record(entry: SyncLogEntry, manager?: EntityManager): Promise<SyncLog> {
    const [log] = await this.recordMany([entry], manager);
    return log;
  }

  /** Writes several entries in one statement (batched ingestion writes one per order). */
  async recordMany(entries: SyncLogEntry[], manager?: EntityManager): Promise<SyncLog[]> {
    if (entries.length === 0) return [];
    const now = new Date();
    const link = jobLink();
    const logs = entries.map((entry) =>
      Object.assign(new SyncLog(), {
        businessId: entry.businessId ?? null,
        connectionId: entry.connectionId ?? null,
        type: entry.type,
        direction: entry.direction,
        status: entry.status,
        processed: entry.processed ?? 0,
        failed: entry.failed ?? 0,
        message: entry.message,
        details: { ...link, ...entry.details },
        startedAt: entry.startedAt ?? now,
        finishedAt: entry.finishedAt ?? now,
      }),
    );
    const columns = 11;
    const values = logs.flatMap((l) => [l.businessId, l.connectionId, l.type, l.direction, l.status, l.processed, l.failed, l.message, JSON.stringify(l.details), l.startedAt, l.finishedAt]);
    const tuples = logs.map((_, i) => `(${Array.from({ length: columns }, (__, c) => `$${i * columns + c + 1}`).join(', ')})`);
    // Plain SQL: one entry per ingested order makes this a hot path, and the query builder costs more than the insert.
    const rows: Array<{ id: string }> = await (manager ?? this.logs.manager).query(
      `INSERT INTO ecommerce_sync_log (business_id, connection_id, type, direction, status, processed, failed, message, details, started_at, finished_at)
       VALUES ${tuples.join(', ')} RETURNING id`,
      values,
    );
    logs.forEach((log, i) => {
      log.id = rows[i].id;
      const line = { syncLogId: log.id, businessId: log.businessId ?? undefined, connectionId: log.connectionId ?? undefined, type: log.type, status: log.status, ...idsIn(log.details) };
      if (log.status === 'failed') this.logger.warn(line, log.message);
      else this.logger.log(line, log.message);
    });
    return logs;
  }

  /** The entries a queue job wrote (its outcome), newest first. */
  forJob(jobId: string): Promise<SyncLogView[]> {
    return this.logs
      .createQueryBuilder('l')
      .where("l.details->>'jobId' = :jobId", { jobId })
      .orderBy('l.startedAt', 'DESC')
      .take(10)
      .getMany()
      .then((rows) => rows.map(({ connectionId: _connectionId, ...view }) => view));
  }

  /** An order's `order` entries, and the poll runs that saw it, oldest first: for the order timeline. */
  async forOrder(businessId: string, externalOrderId: string) {
    const logs: Array<{ id: string; status: string; message: string; startedAt: Date; pollRunId: string | null }> = await this.logs.query(
      `SELECT id, status, message, started_at AS "startedAt", details->>'pollRunId' AS "pollRunId"
       FROM ecommerce_sync_log WHERE business_id = $1 AND type = 'order' AND details->>'externalOrderId' = $2 ORDER BY started_at`,
      [businessId, externalOrderId],
    );
    const pollRunIds = logs.map((l) => l.pollRunId).filter((p): p is string => p !== null);
    const polls: Array<{ id: string; status: string; message: string; startedAt: Date }> = pollRunIds.length
      ? await this.logs.query(
          `SELECT id, status, message, started_at AS "startedAt" FROM ecommerce_sync_log
           WHERE business_id = $1 AND type = 'poll' AND details->>'pollRunId' = ANY($2) ORDER BY started_at`,
          [businessId, pollRunIds],
        )
      : [];
    return { logs: logs.map(({ pollRunId: _pollRunId, ...log }) => log), polls };
  }

  async list(filter: SyncLogFilter): Promise<Page<SyncLogView>> {
    const query = this.logs.createQueryBuilder('log');
    if (filter.businessId) query.andWhere('log.businessId = :businessId', { businessId: filter.businessId });
    if (filter.type) query.andWhere('log.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('log.status = :status', { status: filter.status });
    if (filter.from) query.andWhere('log.startedAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('log.startedAt <= :to', { to: filter.to });
    newestFirst(query, 'log', 'started_at', filter.limit, filter.cursor);
    const rows = await query.getMany();
    return toPage(
      rows,
      filter.limit,
      (row) => ({ at: row.startedAt.toISOString(), id: row.id }),
      ({ connectionId: _connectionId, ...view }) => view,
    );
  }
}
