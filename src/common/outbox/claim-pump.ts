import { Logger } from '@nestjs/common';
import pg from 'pg';

export interface ClaimPumpOptions {
  /** For logs and the listener's application_name. */
  name: string;
  databaseUrl: string;
  /** The channel the writers NOTIFY in their transaction. */
  channel: string;
  concurrency: number;
  batch: number;
  tickMs: number;
  /** Ids that are due now (claims are taken by `run`). */
  due(limit: number): Promise<string[]>;
  /** Works on one id if this caller wins its claim; false when someone else has it. */
  run(id: string): Promise<boolean>;
  /** Runs before each pass (an alert check); its failure is logged and the pass goes on. */
  beforePass?: () => Promise<void>;
}

/**
 * Drives an outbox table whose rows are claimed in the database: Postgres tells it at once when a writer commits
 * new rows (LISTEN on the channel they NOTIFY in their transaction), and a tick picks up retries that came due,
 * claims that lapsed, and anything a lost notification missed. Rows are claimed one by one by `run`, so any number
 * of pumps in any number of processes work on each row once at a time.
 */
export class ClaimPump {
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<unknown>>();
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(private readonly options: ClaimPumpOptions) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.tickMs);
    void this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: `pos-ecommerce-${this.options.channel}` });
    client.on('notification', () => this.wake());
    // A lost connection only slows work down to the tick; reconnect quietly.
    client.on('error', (error) => {
      this.logger.warn({ err: error }, `The ${this.options.channel} listener lost its connection; work continues on the tick`);
      this.listener = null;
      if (!this.stopped) setTimeout(() => void this.listen(), 5_000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      if (this.stopped) await client.end();
      else this.listener = client;
    } catch (error) {
      this.logger.warn({ err: error }, `Could not listen on ${this.options.channel}; work continues on the tick`);
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
      .catch((error: unknown) => this.logger.warn({ err: error }, 'A pass failed; the next tick tries again'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async pass(): Promise<void> {
    if (this.options.beforePass) await this.options.beforePass().catch((error: unknown) => this.logger.warn({ err: error }, 'The check before a pass failed'));
    for (;;) {
      const due = (await this.options.due(this.options.batch)).filter(() => !this.stopped);
      if (due.length === 0) return;
      let won = 0;
      for (const id of due) {
        while (this.inFlight.size >= this.options.concurrency) await Promise.race(this.inFlight);
        const work = this.options
          .run(id)
          .then((claimed) => (won += claimed ? 1 : 0))
          .catch((error: unknown) => this.logger.error({ err: error, id }, 'Working on an outbox row failed unexpectedly; it is retried when its claim lapses'))
          .finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      }
      await Promise.allSettled([...this.inFlight]);
      // Nothing won: the rest are someone else's right now.
      if (won === 0 || this.stopped) return;
    }
  }
}
