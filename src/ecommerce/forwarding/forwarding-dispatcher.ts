import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ForwardingAlerts } from './forwarding-alerts.js';
import { ForwardingSender } from './forwarding-sender.js';
import { DUE_CHANNEL, ForwardingRepository } from './forwarding.repository.js';

const CONCURRENCY = 16;
const BATCH = 64;
const TICK_MS = 1_000;

/**
 * Runs in worker processes: sends what is due. Postgres tells it at once when an ingestion commits new messages
 * (LISTEN on the channel the hook NOTIFYs in its transaction); a tick every second picks up retries that came due,
 * claims that lapsed, and anything a lost notification missed. Each send is claimed in the database first, so any
 * number of dispatchers in any number of processes send each message once at a time.
 */
@Injectable()
export class ForwardingDispatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ForwardingDispatcher');
  private readonly inFlight = new Set<Promise<unknown>>();
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messages: ForwardingRepository,
    private readonly sender: ForwardingSender,
    private readonly alerts: ForwardingAlerts,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.wake(), TICK_MS);
    void this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'pos-ecommerce-forwarding' });
    client.on('notification', () => this.wake());
    // A lost connection only slows sends down to the tick; reconnect quietly.
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'The forwarding listener lost its connection; sends continue on the 1 s tick');
      this.listener = null;
      if (!this.stopped) setTimeout(() => void this.listen(), 5_000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${DUE_CHANNEL}`);
      if (this.stopped) await client.end();
      else this.listener = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not listen for new forwarding messages; sends continue on the 1 s tick');
      await client.end().catch(() => undefined);
    }
  }

  /** Runs one pass now, or right after the pass in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pass()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'A forwarding pass failed; the next tick tries again'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async pass(): Promise<void> {
    await this.alerts.check().catch((error: unknown) => this.logger.warn({ err: error }, 'The overdue-forwarding check failed'));
    for (;;) {
      const due = (await this.messages.due(BATCH)).filter(() => !this.stopped);
      if (due.length === 0) return;
      let sent = 0;
      for (const id of due) {
        while (this.inFlight.size >= CONCURRENCY) await Promise.race(this.inFlight);
        const send = this.sender
          .send(id)
          .then((won) => (sent += won ? 1 : 0))
          .catch((error: unknown) => this.logger.error({ err: error, messageId: id }, 'Sending a forwarding message failed unexpectedly; it is retried when its claim lapses'))
          .finally(() => this.inFlight.delete(send));
        this.inFlight.add(send);
      }
      await Promise.allSettled([...this.inFlight]);
      // Nothing won: the rest are someone else's right now.
      if (sent === 0 || this.stopped) return;
    }
  }
}
