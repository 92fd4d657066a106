import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { Mailer } from '../../notifications/mailer.service.js';
import { orderOfBody } from './forwarding-rules.js';
import { ForwardingRepository } from './forwarding.repository.js';

export const OVERDUE_AFTER_MS = 30 * 60_000;
const CHECK_EVERY_MS = 60_000;

/**
 * The alert that does not depend on the ERP answering: an order not in an enabled ERP 30 minutes after it was
 * ingested is counted in /metrics, flagged in the status view, and e-mailed once, one e-mail per destination.
 */
@Injectable()
export class ForwardingAlerts {
  /** Test seam: the clock the 30 minutes are measured with. */
  now: () => Date = () => new Date();
  private lastCheck = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messages: ForwardingRepository,
    private readonly mailer: Mailer,
    private readonly metrics: MetricsService,
  ) {}

  /** At most once a minute (scaled), whoever calls. */
  async check(): Promise<void> {
    const now = this.now();
    if (now.getTime() - this.lastCheck < CHECK_EVERY_MS * this.config.forwardingTimeScale) return;
    this.lastCheck = now.getTime();
    const since = new Date(now.getTime() - OVERDUE_AFTER_MS);
    const counts = await this.messages.countOverdue(since);
    this.metrics.forwardingOverdue.set(counts.reduce((sum, c) => sum + c.count, 0));
    const overdue = await this.messages.claimOverdue(since);
    const byDestination = new Map<string, typeof overdue>();
    for (const message of overdue) byDestination.set(message.destinationId, [...(byDestination.get(message.destinationId) ?? []), message]);
    for (const messages of byDestination.values()) {
      const { businessId, destinationName, notifyEmails } = messages[0];
      const lines = messages.map((m) => `- order ${orderOfBody(m.body).number}: ${m.status === 'on_hold' ? 'on hold' : 'not delivered yet'}${m.lastError ? ` (${m.lastError})` : ''}`);
      await this.mailer.send({
        businessId,
        kind: 'forwarding_overdue',
        to: notifyEmails,
        subject: `${messages.length} order(s) not in ERP "${destinationName}" after 30 minutes`,
        text: [
          `These orders were ingested more than 30 minutes ago and are not in the ERP destination "${destinationName}":`,
          ...lines,
          '',
          `Held ones can be reprocessed together: POST ${this.config.appUrl}/ecommerce/forwarding/reprocess {"businessId":"${businessId}","destinationId":"${messages[0].destinationId}","status":"on_hold"}`,
        ].join('\n'),
      });
    }
  }

  /** Lets the next check run now (for a test that moved the clock). */
  reset(): void {
    this.lastCheck = 0;
  }
}
