import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TokenCipher } from '../../common/crypto/token-cipher.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { Mailer } from '../../notifications/mailer.service.js';
import { retryAfterMs } from '../shopify/retry-policy.js';
import { SyncLogService, type SyncLogEntry } from '../sync-log/sync-log.service.js';
import { answerValue, classify, excerpt, MAX_SENDS, nextDelayMs, orderOfBody, redactedHeaders, standardSignature, type Verdict } from './forwarding-rules.js';
import { DestinationsService } from './destinations.service.js';
import { ForwardingRepository, type AttemptRow, type Claimed, type MessageChange } from './forwarding.repository.js';

/** How long a claim holds beyond the send's own timeout before another worker may take the message over. */
const LEASE_MARGIN_MS = 10_000;

/**
 * One send of one message: claim it, post it signed (Standard Webhooks) with the destination's auth header,
 * classify the answer, and record the attempt and the outcome under the claim. On hold means a timeline entry
 * (a `forwarding` sync log naming the order), an e-mail to the destination's addresses, and a reprocess away.
 */
@Injectable()
export class ForwardingSender {
  private readonly logger = new Logger('ForwardingSender');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messages: ForwardingRepository,
    private readonly cipher: TokenCipher,
    private readonly syncLog: SyncLogService,
    private readonly mailer: Mailer,
    private readonly metrics: MetricsService,
    private readonly destinations: DestinationsService,
  ) {}

  /** Sends `id` if this caller wins its claim; false when someone else has it or it is not due. */
  async send(id: string): Promise<boolean> {
    const claimId = randomUUID();
    const claimed = await this.messages.claim(id, claimId, Math.max(1_000, LEASE_MARGIN_MS * this.config.forwardingTimeScale));
    if (!claimed) return false;
    const { destination } = claimed;
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'pos-ecommerce-forwarding/1',
      'webhook-id': `msg_${claimed.id}`,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': standardSignature(this.cipher.decrypt(destination.signingSecretSealed), `msg_${claimed.id}`, timestamp, claimed.body),
    };
    if (destination.authHeaderName && destination.authHeaderValueSealed) headers[destination.authHeaderName] = this.cipher.decrypt(destination.authHeaderValueSealed);
    const startedAt = new Date();
    let verdict: Verdict;
    let statusCode: number | null = null;
    let answer = '';
    let error: string | null = null;
    try {
      const response = await fetch(destination.url, {
        method: 'POST',
        headers,
        body: claimed.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(destination.timeoutSeconds * 1000),
      });
      statusCode = response.status;
      answer = await response.text().catch(() => '');
      verdict = classify({ status: response.status, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) });
    } catch (caught) {
      const timedOut = (caught as Error).name === 'TimeoutError';
      error = timedOut ? `timed out after ${destination.timeoutSeconds} s` : describe(caught);
      verdict = classify({ error, timedOut });
    }
    const attempt = {
      trigger: claimed.manual ? ('manual' as const) : ('scheduled' as const),
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      statusCode,
      error: error ?? (verdict.kind === 'success' ? null : verdict.reason),
      responseExcerpt: answer ? excerpt(answer) : null,
      requestHeaders: redactedHeaders(headers, destination.authHeaderName),
    };
    await this.settle(claimed, claimId, verdict, attempt, answer);
    return true;
  }

  private async settle(claimed: Claimed, claimId: string, verdict: Verdict, attempt: Omit<AttemptRow, 'outcome'>, answer: string): Promise<void> {
    const { destination } = claimed;
    const order = orderOfBody(claimed.body);
    const base = { businessId: claimed.businessId, type: 'forwarding' as const, direction: 'outbound' as const };
    const details = { messageId: claimed.id, orderId: claimed.orderId, externalOrderId: order.externalId, destinationId: destination.id, event: claimed.event, statusCode: attempt.statusCode };
    if (verdict.kind === 'success') {
      const erpOrderId = answerValue(answer, destination.erpOrderIdPath);
      const erpMessage = answerValue(answer, destination.messagePath);
      this.metrics.forwardingSends.inc({ outcome: 'in_progress' });
      await this.finish(claimed, claimId, { ...attempt, outcome: 'in_progress' }, { status: 'in_progress', erpOrderId, erpMessage, lastError: null, delivered: true }, {
        ...base,
        status: 'success',
        processed: 1,
        message: `Order ${order.number} (${claimed.event}) sent to ERP "${destination.name}": HTTP ${attempt.statusCode}${erpOrderId ? `, ERP order ${erpOrderId}` : ''}${erpMessage ? ` (${erpMessage})` : ''}`,
        details: { ...details, erpOrderId },
      });
      return;
    }
    const erpMessage = answerValue(answer, destination.messagePath);
    const reason = erpMessage ? `${verdict.reason}: ${erpMessage}` : `${verdict.reason}${answer ? `: ${answer.slice(0, 200)}` : ''}`;
    const delay = verdict.kind === 'retry' ? nextDelayMs(claimed.sends, verdict.afterMs, this.config.forwardingTimeScale) : null;
    this.metrics.forwardingSends.inc({ outcome: delay !== null ? 'retry' : 'on_hold' });
    if (delay !== null) {
      await this.finish(claimed, claimId, { ...attempt, outcome: 'retry' }, { status: 'pending', nextAttemptAt: new Date(Date.now() + delay), lastError: reason }, {
        ...base,
        status: 'failed',
        failed: 1,
        message: `Order ${order.number} (${claimed.event}) was not taken by ERP "${destination.name}" (send ${claimed.sends} of ${MAX_SENDS}): ${reason}. Sent again in ${formatDelay(delay)}.`,
        details: { ...details, error: reason, retryInMs: delay },
      });
      return;
    }
    const why = verdict.kind === 'retry' ? `after ${MAX_SENDS} sends: ${reason}` : reason;
    const reprocess = `POST ${this.config.appUrl}/ecommerce/forwarding/messages/${claimed.id}/reprocess`;
    const held = await this.finish(claimed, claimId, { ...attempt, outcome: 'on_hold' }, { status: 'on_hold', lastError: reason, erpMessage }, {
      ...base,
      status: 'failed',
      failed: 1,
      message: `Order ${order.number} (${claimed.event}) is on hold for ERP "${destination.name}": ${why}.${verdict.kind === 'gone' ? ' The destination was disabled.' : ''} Reprocess it once the cause is fixed: ${reprocess}`,
      details: { ...details, error: why },
    });
    if (!held) return;
    if (verdict.kind === 'gone') await this.destinations.disable(destination.id, `Disabled after the ERP answered 410 Gone for order ${order.number}`);
    await this.mailer
      .send({
        businessId: claimed.businessId,
        kind: 'forwarding_on_hold',
        to: destination.notifyEmails,
        subject: `Order ${order.number} is on hold: ERP "${destination.name}" did not accept it`,
        text: [
          `Order ${order.number} (${claimed.event}) could not be delivered to the ERP destination "${destination.name}" (${destination.url}).`,
          '',
          `Error: ${why}`,
          verdict.kind === 'gone' ? 'The ERP answered 410 Gone, so the destination was disabled.' : '',
          '',
          `Once the cause is fixed, reprocess it: ${reprocess}`,
        ]
          .filter((line, i, all) => line !== '' || all[i - 1] !== '')
          .join('\n'),
      })
      .catch((caught: unknown) => this.logger.error({ err: caught, messageId: claimed.id }, 'Could not record the on-hold e-mail'));
  }

  /** Records the send and its outcome under the claim; the outcome's log entry is written in the same transaction. */
  private finish(claimed: Claimed, claimId: string, attempt: AttemptRow, change: MessageChange, log: SyncLogEntry): Promise<boolean> {
    return this.messages.finish(claimed.id, claimId, attempt, change, (manager) => this.syncLog.record(log, manager));
  }
}

const formatDelay = (ms: number) => (ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ''}` : (error as Error).message;
}
