import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IngestedOrderRepository } from '../orders/ingested-order.repository.js';
import { OrderIngestionService } from '../orders/order-ingestion.service.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { SyncLogService, type SyncLogEntry } from '../sync-log/sync-log.service.js';
import { StatusRequestRepository, type AttemptRecord, type RequestChange, type StoredRequest } from './status-request.repository.js';
import { ACTION_LABEL, MAX_ATTEMPTS, retryDelayMs, type CancelBody, type FulfillmentBody } from './status-rules.js';
import { STATUS_TARGETS, type AttemptResult, type StatusTarget } from './status-target.js';

/** A claim outlasts the slowest attempt (the client's own retries of a read) before another worker may take over. */
const LEASE_MS = 120_000;

/**
 * One attempt of one request: claim it, let its source's target talk to the shop, record the attempt and the
 * outcome under the claim, and write a `status_sync` log a support person can act on. When the shop has it, the
 * order as the shop has it now goes through the one ingestion path, so POS stock follows at once; the webhooks
 * that echo the change later find it folded already and move nothing.
 */
@Injectable()
export class StatusSender {
  private readonly logger = new Logger('StatusSender');
  private readonly targets: Map<string, StatusTarget>;

  constructor(
    @Inject(STATUS_TARGETS) targets: StatusTarget[],
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly requests: StatusRequestRepository,
    private readonly orders: IngestedOrderRepository,
    private readonly ingestion: OrderIngestionService,
    private readonly syncLog: SyncLogService,
    private readonly metrics: MetricsService,
  ) {
    this.targets = new Map(targets.map((t) => [t.provider, t]));
  }

  async run(id: string): Promise<boolean> {
    const claimId = randomUUID();
    const request = await this.requests.claim(id, claimId, LEASE_MS);
    if (!request) return false;
    const startedAt = new Date();
    const order = await this.orders.findState(this.dataSource.manager, request.orderId);
    const target = this.targets.get(request.provider);
    let result: AttemptResult | { kind: 'retry'; reason: string };
    try {
      if (!order) result = { kind: 'refused', reason: 'the order is no longer in the POS', answer: {} };
      else if (!target) result = { kind: 'refused', reason: `orders from ${request.provider} sources cannot be updated back`, answer: {} };
      else result = await target.attempt(request, order);
    } catch (error) {
      const permanent = target?.permanent(error) ?? null;
      result = permanent ? { kind: 'refused', reason: permanent, answer: {} } : { kind: 'retry', reason: (error as Error).message };
    }
    const attempt = (outcome: AttemptRecord['outcome'], error: string | null, answer: Record<string, unknown> = {}): AttemptRecord => ({ startedAt, durationMs: Date.now() - startedAt.getTime(), outcome, answer, error });
    const label = `${ACTION_LABEL[request.action]} of order ${order?.state.name ?? request.orderId}`;
    const base = { businessId: request.businessId, connectionId: request.connectionId, type: 'status_sync' as const, direction: 'outbound' as const };
    const details = { requestId: request.id, orderId: request.orderId, externalOrderId: order?.externalOrderId ?? null, action: request.action, provider: request.provider };

    if (result.kind === 'waiting') {
      await this.finish(request, claimId, attempt('waiting', null, result.answer), { status: 'pending', nextAttemptAt: after(result.afterMs), progress: result.progress, countsAsAttempt: false });
      return true;
    }
    if (result.kind === 'retry') {
      const attempts = request.attempts + 1;
      const delay = retryDelayMs(attempts);
      if (delay !== null) {
        await this.finish(request, claimId, attempt('retry', result.reason), { status: 'pending', nextAttemptAt: after(delay), progress: { ...request.progress, uncertain: true }, lastError: result.reason, countsAsAttempt: true }, {
          ...base,
          status: 'failed',
          failed: 1,
          message: `The ${label} did not reach the shop (attempt ${attempts} of ${MAX_ATTEMPTS}): ${result.reason}. Tried again in ${Math.round(delay / 1000)} s.`,
          details: { ...details, error: result.reason },
        });
        return true;
      }
      result = { kind: 'refused', reason: `${result.reason} (gave up after ${attempts} attempts)`, answer: {} };
    }
    if (result.kind === 'refused') {
      await this.finish(request, claimId, attempt('failed', result.reason, result.answer), { status: 'failed', lastError: result.reason, countsAsAttempt: true }, {
        ...base,
        status: 'failed',
        failed: 1,
        message: `The ${label} failed: ${result.reason}. Nothing more is sent for this request; fix the cause and send the request again.`,
        details: { ...details, error: result.reason },
      });
      return true;
    }
    const done = await this.finish(request, claimId, attempt('done', null, result.answer), { status: 'done', result: result.result, lastError: null, countsAsAttempt: true }, {
      ...base,
      status: 'success',
      processed: 1,
      message: `The ${label} reached the shop: ${describe(request)}`,
      details: { ...details, result: result.result },
    });
    if (done && result.readback && order) await this.readBack(request, result.readback);
    return true;
  }

  /** Records the attempt; the outcome's log entry, if any, is written in the same transaction. */
  private finish(request: StoredRequest, claimId: string, attempt: AttemptRecord, change: RequestChange, log?: SyncLogEntry): Promise<boolean> {
    this.metrics.statusAttempts.inc({ action: request.action, outcome: attempt.outcome });
    return this.requests.finish(request.id, claimId, attempt, change, log && ((manager) => this.syncLog.record(log, manager)));
  }

  /** The order as the shop has it now, through the ingestion path; a failure here only delays it to the next webhook or poll. */
  private async readBack(request: StoredRequest, order: NonNullable<Extract<AttemptResult, { kind: 'done' }>['readback']>): Promise<void> {
    try {
      await this.ingestion.ingestOne({
        connection: { id: request.connectionId, businessId: request.businessId, provider: request.provider },
        change: { kind: 'version', order },
        source: 'poll',
        logDetails: { statusRequestId: request.id },
      });
    } catch (error) {
      this.logger.warn({ err: error, requestId: request.id }, 'Reading the order back after a status change failed; the next webhook or poll brings it');
    }
  }
}

const after = (ms: number) => new Date(Date.now() + ms);

function describe(request: StoredRequest): string {
  switch (request.action) {
    case 'fulfillment': {
      const body = request.body as FulfillmentBody;
      const what = body.lines ? body.lines.map((l) => `${l.quantity} x ${l.sku ?? `line ${l.externalLineId}`}`).join(', ') : 'every line left';
      const tracking = body.trackingNumber ? `, tracking ${[body.trackingCompany, body.trackingNumber].filter(Boolean).join(' ')}` : '';
      return `fulfilled ${what}${tracking}`;
    }
    case 'mark_paid':
      return 'marked as paid';
    case 'cancel': {
      const body = request.body as CancelBody;
      return `cancelled (reason ${body.reason}, ${body.restock ? 'restocked' : 'not restocked'})`;
    }
  }
}
